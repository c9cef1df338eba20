from django.test import TestCase


class HomeTestCase(TestCase):
    def test_it_sends_visitors_to_a_language(self):
        self.assertRedirects(self.client.get("/"), "/en/", fetch_redirect_response=False)

    def test_it_shows_the_landing_page_with_the_way_to_report(self):
        response = self.client.get("/en/")
        self.assertContains(response, 'href="/en/report/"')
        self.assertContains(response, 'href="/en/receipt/"')
