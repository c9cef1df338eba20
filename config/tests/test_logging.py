import io
import logging
import logging.config
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.test import RequestFactory, SimpleTestCase

LOGGING: dict[str, Any] = settings.LOGGING


class LoggingTestCase(SimpleTestCase):
    def test_it_keeps_request_bodies_and_client_addresses_out_of_logs(self):
        stream = io.StringIO()
        config = {**LOGGING}
        config["handlers"] = {
            name: {**handler, "stream": stream} for name, handler in LOGGING["handlers"].items()
        }
        logging.config.dictConfig(config)
        self.addCleanup(logging.config.dictConfig, LOGGING)
        request = RequestFactory().post(
            "/report/", {"name": "MARKER-NAME-5521"}, REMOTE_ADDR="203.0.113.77"
        )
        try:
            raise ValueError("an unhandled fault")
        except ValueError:
            logging.getLogger("django.request").error(
                "Internal Server Error: %s",
                request.path,
                exc_info=True,
                extra={"request": request, "status_code": 500},
            )
        output = stream.getvalue()
        # Logged by its class, without the path that would name the page and its time.
        self.assertIn("unhandled exception (ValueError)", output)
        self.assertNotIn("/report/", output)
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


WORKER_START = """
import logging
from config.celery import app
app.log.setup(loglevel="INFO")  # what `celery worker` and `celery beat` do as they start
filters = [type(f).__name__ for h in logging.getLogger().handlers for f in h.filters]
print("filters:", filters)
logging.getLogger("intake.tasks").warning("MARKER-4471")
"""


class WorkerLoggingTestCase(SimpleTestCase):
    def test_workers_log_through_djangos_logging_and_its_filter(self):
        env = {**os.environ, "AMANAT_ENV": "test", "DJANGO_SETTINGS_MODULE": "config.settings"}
        result = subprocess.run(
            [sys.executable, "-c", WORKER_START],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("filters: ['DropRequestData']", result.stdout)
        # Django's plain format (the day only, level, logger, message), not Celery's own
        # handler, which would print the time to the millisecond.
        self.assertRegex(result.stderr, r"(?m)^\d{4}-\d{2}-\d{2} WARNING intake.tasks MARKER-4471$")
