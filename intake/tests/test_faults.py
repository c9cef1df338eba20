"""Faults: a reporter never loses a report and is never told something false.

Each test runs its own Redis (and, for gunicorn, its own PostgreSQL cluster) in a
temporary folder on free ports, so it can kill them without touching the machine's
shared services.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import socket
import threading
import time
import unittest
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from intake import ratelimit
from intake.models import Report, UsedFormId
from tests import servers
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.tasks import celery_conf

pytestmark = pytest.mark.slow
WHY_NOT = servers.missing_tools()


def noise_png(side: int = 160) -> bytes:
    """An image that does not compress: its sealed file is about side * side * 3 bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), secrets.token_bytes(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def partials(folder: str | Path) -> list[Path]:
    return list(Path(folder).rglob("*.partial"))


@unittest.skipIf(WHY_NOT, WHY_NOT)
class RedisFaultTestCase(BaseTestCase):
    """The application in this process, with a Redis of the test's own as cache and broker."""

    def setUp(self) -> None:
        self.redis = servers.RedisServer().start()
        self.addCleanup(self.redis.close)
        cache = {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": self.redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        for context in (
            override_settings(
                CACHES={"default": cache},
                CELERY_BROKER_URL=self.redis.url,
                CELERY_TASK_ALWAYS_EAGER=False,
            ),
            celery_conf(broker_url=self.redis.url, task_always_eager=False),
        ):
            context.__enter__()
            self.addCleanup(context.__exit__, None, None, None)
        super().setUp()

    def test_it_takes_reports_and_return_visits_with_redis_down_and_healthz_says_so(self):
        receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        self.redis.kill()
        with self.assertLogs("intake.ratelimit", "WARNING") as logs:
            for name in ("Second Person", "Third Person"):
                response = self.client.post("/en/report/", report_form_data(name_1=name))
                self.assertContains(response, "This is your receipt")
            visit = self.client.post("/en/receipt/", {"receipt": receipt})
        self.assertContains(visit, "Your report")
        self.assertEqual(Report.objects.count(), 3)
        self.assertEqual(len(logs.records), 1)  # said once, not once per request
        self.assertTrue(ratelimit.counters.degraded)
        health = self.client.get("/healthz")
        self.assertEqual(health.status_code, 503)
        self.assertEqual(health.json()["down"], ["broker", "cache"])

    def test_a_form_stored_before_a_redis_restart_is_not_stored_again(self):
        data = report_form_data()
        self.assertContains(self.client.post("/en/report/", data), "This is your receipt")
        self.redis.restart()  # empty: whatever it held is gone
        ratelimit.counters.reset()
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "This is your receipt")  # the same receipt, again
        self.assertEqual(Report.objects.count(), 1)


class StorageFaultTestCase(BaseTestCase):
    def test_unwritable_storage_leaves_nothing_and_says_nothing_was_saved(self):
        photo = SimpleUploadedFile("photo.png", noise_png(40), "image/png")
        data = {**report_form_data(narrative="kept text"), "attachments": photo}
        with self.settings(SEALED_STORAGE_DIR="/proc/amanat-cannot-write-here"):
            response = self.client.post("/en/report/", data)
        self.assertContains(response, "nothing was saved", status_code=503)
        self.assertContains(response, "kept text", status_code=503)
        self.assertContains(response, "choose them again", status_code=503)
        self.assertFalse(Report.objects.exists())
        self.assertFalse(UsedFormId.objects.exists())

    def test_a_message_that_cannot_be_stored_keeps_its_text_and_asks_for_files_again(self):
        receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        photo = SimpleUploadedFile("photo.png", noise_png(40), "image/png")
        data = {
            "receipt": receipt,
            "action": "message",
            "text": "kept message",
            "attachments": photo,
        }
        with self.settings(SEALED_STORAGE_DIR="/proc/amanat-cannot-write-here"):
            response = self.client.post("/en/receipt/", data)
        self.assertContains(response, "nothing was saved", status_code=503)
        self.assertContains(response, "kept message", status_code=503)
        self.assertContains(response, "choose them again", status_code=503)
        self.assertFalse(Report.objects.get().messages.exists())

    def test_files_a_killed_worker_left_behind_are_swept_and_stored_ones_kept(self):
        from intake import shredding, storage, tasks

        folder = servers.tempfile.mkdtemp(prefix="amanat-sealed-")
        self.addCleanup(servers.shutil.rmtree, folder, True)
        photo = SimpleUploadedFile("photo.png", noise_png(40), "image/png")
        with self.settings(SEALED_STORAGE_DIR=folder):
            data = {**report_form_data(), "attachments": photo}
            self.assertContains(self.client.post("/en/report/", data), "This is your receipt")
            kept = storage.stale_blobs(older_than=-60)
            orphan = uuid.uuid4()  # sealed, but its report was never committed
            storage.write(orphan, [b"sealed bytes"])
            storage.path_for(orphan).with_suffix(".partial").write_bytes(b"half")
            tasks.forget_used_form_ids()  # as beat runs it: nothing is old enough yet
            self.assertEqual(len(partials(folder)), 1)
            self.assertEqual(storage.sweep_partials(older_than=-60), 1)
            self.assertEqual(shredding.sweep_orphans(older_than=-60), 1)
            self.assertEqual(sorted(storage.stale_blobs(older_than=-60)), sorted(kept))
        self.assertEqual(partials(folder), [])


@unittest.skipIf(WHY_NOT, WHY_NOT)
class GunicornFaultTestCase(unittest.TestCase):
    """gunicorn's sync workers on a PostgreSQL cluster and a Redis of the test's own."""

    postgres: servers.PostgresCluster
    storage: Path

    @classmethod
    def setUpClass(cls) -> None:
        cls.postgres = servers.PostgresCluster()
        cls.addClassCleanup(cls.postgres.close)
        cls.storage = Path(servers.tempfile.mkdtemp(prefix="amanat-sealed-"))
        cls.addClassCleanup(servers.shutil.rmtree, cls.storage, True)
        redis = servers.RedisServer().start()
        try:
            env = servers.app_environment(cls.postgres.url(), redis.url, str(cls.storage))
            servers.prepare_database(env)
        finally:
            redis.close()

    def setUp(self) -> None:
        self.redis = servers.RedisServer().start()
        self.addCleanup(self.redis.close)
        self.env = servers.app_environment(self.postgres.url(), self.redis.url, str(self.storage))
        self.db = psycopg.connect(self.postgres.url(), autocommit=True)
        self.addCleanup(self.db.close)

    def serve(self, **kwargs) -> servers.Gunicorn:
        server = servers.Gunicorn(self.env, **kwargs)
        self.addCleanup(server.close)
        return server

    def count(self, table: str) -> int:
        row = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        assert row is not None  # count(*) always returns one row
        return row[0]

    def form(self, server: servers.Gunicorn) -> tuple[dict, str]:
        """The form's fields as a browser has them (token, one-time id) and its cookie."""
        with urllib.request.urlopen(f"{server.base}/en/report/") as page:  # noqa: S310
            html = page.read().decode()
            cookie = page.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        form_id = re.search(r'name="form_id" value="([^"]+)"', html)
        assert token is not None and form_id is not None, "the form lost its hidden fields"
        fields = report_form_data(csrfmiddlewaretoken=token.group(1), form_id=form_id.group(1))
        return fields, cookie

    def post(self, server: servers.Gunicorn, body: bytes, cookie: str, content_type: str):
        request = urllib.request.Request(  # noqa: S310
            f"{server.base}/en/report/",
            data=body,
            headers={"Cookie": cookie, "Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def test_a_worker_killed_mid_submit_leaves_the_form_unused_and_stored_once(self):
        server = self.serve(workers=1)
        fields, cookie = self.form(server)
        body = urllib.parse.urlencode(fields).encode()
        form = "application/x-www-form-urlencoded"
        before = self.count("intake_report")
        # Hold the report's insert, so the worker is stopped in the middle of the send.
        locker = psycopg.connect(self.postgres.url())
        locker.execute("LOCK TABLE intake_report IN ACCESS EXCLUSIVE MODE")
        sent: list = []
        sender = threading.Thread(
            target=lambda: sent.append(self._post_raw(server, body, cookie, form))
        )
        sender.start()
        deadline = time.monotonic() + 20
        while not self.db.execute(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone():
            self.assertLess(time.monotonic(), deadline, "the worker never reached the insert")
            time.sleep(0.05)
        (worker,) = server.workers()
        os.kill(worker, 9)  # SIGKILL: no handler, no cleanup, as the OOM killer does it
        sender.join(20)
        locker.rollback()
        locker.close()
        self.assertNotIn(200, sent)
        deadline = time.monotonic() + 20  # gunicorn starts a new worker
        while server.workers() in ([], [worker]):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        status, page = self.post(server, body, cookie, form)
        self.assertEqual(status, 200, page[:500])
        self.assertIn("This is your receipt", page)
        self.assertEqual(self.count("intake_report"), before + 1)
        # Sent once more, it shows the same receipt again and stores nothing more.
        again, again_page = self.post(server, body, cookie, form)
        self.assertEqual(again, 200)
        shown = r'class="receipt"[^>]*>([0-9 ]+)<'
        self.assertEqual(re.findall(shown, again_page), re.findall(shown, page))
        self.assertEqual(len(re.findall(shown, page)), 1)
        self.assertEqual(self.count("intake_report"), before + 1)
        self.assertEqual(partials(self.storage), [])

    def _post_raw(self, server, body: bytes, cookie: str, content_type: str) -> int | str:
        head = (
            f"POST /en/report/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
                conn.sendall(head + body)
                reply = conn.recv(64)
        except OSError as exc:
            return type(exc).__name__
        return int(reply.split(b" ")[1]) if reply else "no reply"

    def test_with_the_database_down_the_reporter_is_told_nothing_was_saved(self):
        server = self.serve(workers=1)
        fields, cookie = self.form(server)
        fields["narrative"] = "kept text"
        body = urllib.parse.urlencode(fields).encode()
        self.db.close()
        self.postgres.stop()
        try:
            status, page = self.post(server, body, cookie, "application/x-www-form-urlencoded")
            with self.assertRaises(urllib.error.HTTPError) as health:
                urllib.request.urlopen(f"{server.base}/healthz", timeout=30)  # noqa: S310
        finally:
            self.postgres.start()
        self.assertEqual(status, 503, page[:500])
        self.assertIn("nothing was saved", page)
        self.assertIn("kept text", page)
        self.assertEqual(health.exception.code, 503)
        self.assertIn(b'"database": "unreachable"', health.exception.read())
        # Once it is back, the same page is stored.
        status, page = self.post(server, body, cookie, "application/x-www-form-urlencoded")
        self.assertEqual(status, 200, page[:500])

    def test_a_full_disk_leaves_no_partial_file_and_keeps_what_was_typed(self):
        import resource

        limit = 32 * 1024  # files larger than this cannot be written (as on a full disk)
        server = self.serve(
            workers=1,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
        )
        fields, cookie = self.form(server)
        fields["narrative"] = "kept text"
        before = (self.count("intake_report"), self.count("intake_usedformid"))
        boundary = secrets.token_hex(8)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        photo = noise_png(160)  # about 77 KB once sealed
        body = (
            "".join(parts).encode()
            + f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="photo.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + photo
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, page = self.post(server, body, cookie, f"multipart/form-data; boundary={boundary}")
        self.assertEqual(status, 503, page[:500])
        self.assertIn("nothing was saved", page)
        self.assertIn("kept text", page)
        self.assertIn("choose them again", page)
        after = (self.count("intake_report"), self.count("intake_usedformid"))
        self.assertEqual(after, before)
        self.assertEqual(partials(self.storage), [])
