import io
import logging
import logging.config
from typing import Any

from django.conf import settings
from django.test import RequestFactory, SimpleTestCase

LOGGING: dict[str, Any] = settings.LOGGING


class LoggingTestCase(SimpleTestCase):
    def test_it_keeps_request_bodies_and_client_addresses_out_of_logs(self):
        stream = io.StringIO()
        config = {**LOGGING}
        config["handlers"] = {"console": {**LOGGING["handlers"]["console"], "stream": stream}}
        logging.config.dictConfig(config)
        self.addCleanup(logging.config.dictConfig, LOGGING)
        request = RequestFactory().post(
            "/report/", {"name": "MARKER-NAME-5521"}, REMOTE_ADDR="203.0.113.77"
        )
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.path,
            extra={"request": request, "status_code": 500},
        )
        output = stream.getvalue()
        self.assertIn("Internal Server Error: /report/", output)
        self.assertNotIn("203.0.113.77", output)
        self.assertNotIn("MARKER-NAME-5521", output)

    def test_it_sends_no_error_mail(self):
        self.assertEqual(settings.ADMINS, [])
        for handler in LOGGING["handlers"].values():
            self.assertNotIn("AdminEmailHandler", handler["class"])

    def test_the_production_server_keeps_no_access_log(self):
        conf: dict = {}
        path = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"
        exec(compile(path.read_text(), str(path), "exec"), conf)  # noqa: S102 - our own file
        self.assertIsNone(conf["accesslog"])
        self.assertNotIn("access_log_format", conf)
