"""Django's request log writes a line with the path for every 4xx/5xx; on the public
side that would date each refused report or return visit. Only unhandled exceptions
are logged, without the path."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils.log import log_response

from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data

from .test_faults import noise_png


class RequestLogTestCase(BaseTestCase):
    def test_it_logs_no_line_for_responses_the_app_answered(self):
        photo = SimpleUploadedFile("photo.png", noise_png(40), "image/png")
        data = {**report_form_data(), "attachments": photo}
        with self.assertNoLogs("django.request", level="DEBUG"):
            with self.settings(SEALED_STORAGE_DIR="/proc/amanat-cannot-write-here"):
                failed = self.client.post("/en/report/", data)  # 503, answered by the app
            wrong = self.client.post("/en/receipt/", {"receipt": "1"})
            missing = self.client.get("/en/no-such-page/")
        statuses = (failed.status_code, wrong.status_code, missing.status_code)
        self.assertEqual(statuses, (503, 400, 404))
        self.assertFalse(Report.objects.exists())

    def test_it_logs_an_unhandled_exception_without_its_path(self):
        request = RequestFactory().get("/en/receipt/secret-path/")
        try:
            raise ValueError("boom")
        except ValueError:
            import sys

            with self.assertLogs("django.request", level="ERROR") as logs:
                log_response(
                    "Internal Server Error: %s",
                    request.path,
                    response=type("R", (), {"status_code": 500, "_has_been_logged": False})(),
                    request=request,
                    exception=sys.exc_info()[1],
                )
        self.assertEqual(len(logs.records), 1)
        self.assertNotIn("secret-path", logs.output[0])
        self.assertIn("ValueError", logs.output[0])
