from django.test import TestCase


class HomeTestCase(TestCase):
    def test_it_shows_the_landing_page(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Amanat</title>", html=False)

    def test_it_loads_nothing_from_another_host(self):
        body = self.client.get("/").content.decode()
        self.assertNotIn("http://", body)
        self.assertNotIn("https://", body)
        self.assertNotIn("//", body.replace("<!doctype", ""))
