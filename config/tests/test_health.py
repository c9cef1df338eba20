from django.test import TestCase, override_settings


class HealthTestCase(TestCase):
    def test_it_answers_200_with_database_cache_and_broker_state(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), {"database", "replica", "cache", "broker", "storage", "down"})
        self.assertEqual((body["database"], body["down"]), ("ok", []))

    def test_it_says_none_when_tasks_run_in_process(self):
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
            self.assertEqual(self.client.get("/healthz").json()["broker"], "none")

    def test_it_says_unreachable_when_the_broker_is_down(self):
        # Nothing listens on port 1 of the loopback address.
        with override_settings(
            CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_TASK_ALWAYS_EAGER=False
        ):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["broker"], "unreachable")
        self.assertEqual(response.json()["down"], ["broker"])

    def test_it_reaches_the_configured_broker(self):
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.skipTest("no broker configured in this run (set REDIS_URL)")
        self.assertEqual(self.client.get("/healthz").json()["broker"], "ok")

    def test_it_says_storage_is_down_when_sealed_storage_takes_no_write(self):
        import tempfile

        with tempfile.NamedTemporaryFile() as not_a_folder:
            for folder in ("/proc/amanat-cannot-write-here", not_a_folder.name):
                with override_settings(SEALED_STORAGE_DIR=folder):
                    response = self.client.get("/healthz")
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response.json()["storage"], "unreachable")
                self.assertIn("storage", response.json()["down"])

    def test_its_storage_probe_leaves_no_file_behind(self):
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            with override_settings(SEALED_STORAGE_DIR=folder):
                self.assertEqual(self.client.get("/healthz").json()["storage"], "ok")
            self.assertEqual(os.listdir(folder), [])

    def test_it_is_not_cached_and_refuses_post(self):
        response = self.client.get("/healthz")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(self.client.post("/healthz").status_code, 405)
