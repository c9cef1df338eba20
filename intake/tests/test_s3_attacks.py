"""Sealed storage on S3 under attack: a bucket that cannot be reached while the day's
withdrawn reports are shredded, what every request tells the provider about the server,
and endpoints over which a network observer would read along. Against a real S3 server
process (moto's, or the one AMANAT_TEST_S3_ENDPOINT names: tests/s3.py)."""

from __future__ import annotations

import platform
import socket
import tempfile
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.utils import timezone

from config.tests.test_settings import PRODUCTION_ENV, load_settings
from intake import shredding, storage
from intake.models import Attachment, Report, ReportKey, Status
from intake.tests.test_faults import noise_png
from tests import servers
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.s3 import Bucket, module_endpoint, new_bucket, start_module_server, stop_module_server

pytestmark = pytest.mark.slow
setUpModule = start_module_server
tearDownModule = stop_module_server


class Recorder:
    """An endpoint that answers every request with an empty 200 and keeps its head."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.heads: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data and (chunk := conn.recv(65536)):
                    data += chunk
                self.heads.append(data.split(b"\r\n\r\n")[0].decode(errors="replace"))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.listener.close()


class S3AttacksTestCase(BaseTestCase):
    bucket: Bucket

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.bucket = new_bucket(module_endpoint())
        cls.addClassCleanup(cls.bucket.remove)

    def setUp(self) -> None:
        super().setUp()
        self.bucket.empty()
        local = Path(tempfile.mkdtemp(prefix="amanat-sealed-"))
        self.addCleanup(servers.shutil.rmtree, local, True)
        override = override_settings(SEALED_STORAGE_DIR=str(local), **self.bucket.settings())
        override.enable()
        self.addCleanup(override.disable)

    def test_it_shreds_every_due_report_while_the_bucket_cannot_be_reached(self):
        for n in range(2):
            photo = SimpleUploadedFile("photo.png", noise_png(40 + n), "image/png")
            receipt_in(self.client.post("/en/report/", report_form_data(attachments=photo)))
        Report.objects.update(
            status=Status.WITHDRAWN, withdrawn_on=timezone.localdate() - timedelta(days=30)
        )
        self.assertEqual(len(self.bucket.objects()), 2)
        down = f"http://127.0.0.1:{servers.free_port()}"  # nothing listens there
        with (
            override_settings(SEALED_STORAGE_ENDPOINT=down),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertEqual(shredding.shred_withdrawn(grace_days=7), 2)
        # Every key is gone: both reports open for no one, whatever the bucket holds.
        self.assertFalse(ReportKey.objects.exists())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(set(Report.objects.values_list("sealed_content", flat=True)), {b""})
        # Once the bucket answers, the hourly sweep removes the blobs left behind.
        self.assertEqual(len(self.bucket.objects()), 2)
        self.assertEqual(shredding.sweep_orphans(older_than=-60), 2)
        self.assertEqual(self.bucket.objects(), {})

    def test_it_names_neither_the_kernel_nor_python_to_the_provider(self):
        recorder = Recorder()
        self.addCleanup(recorder.close)
        with override_settings(SEALED_STORAGE_ENDPOINT=recorder.endpoint):
            storage.write(uuid.uuid4(), [b"sealed bytes"])
        (head,) = recorder.heads
        agent = next(line for line in head.split("\r\n") if line.lower().startswith("user-agent"))
        self.assertIn("Amanat", agent)
        for revealing in (platform.release(), platform.python_version(), "linux", "python"):
            self.assertNotIn(revealing.lower(), agent.lower())


class EndpointSettingsTestCase(SimpleTestCase):
    def test_it_refuses_plain_http_across_the_internet_and_credentials_in_the_url(self):
        for endpoint in (
            "http://s3.example.net",
            "http://93.184.216.34:9000",
            "https://key-id:s3cr3t-value@s3.example.net",
            "http://[2606:4700::1111]:9000",
        ):
            result = load_settings({**PRODUCTION_ENV, "SEALED_STORAGE_ENDPOINT": endpoint}, "1")
            self.assertNotEqual(result.returncode, 0, endpoint)
            self.assertIn("SEALED_STORAGE_ENDPOINT", result.stderr)
            self.assertNotIn("s3cr3t-value", result.stderr)

    def test_it_takes_https_and_plain_http_on_this_machine_or_a_private_network(self):
        for endpoint in (
            "https://s3.example.net",
            "http://127.0.0.1:9000",
            "http://localhost:9000",
            "http://[::1]:9000",
            "http://10.0.0.5:9000",
            "http://[fd00::5]:9000",
        ):
            env = {**PRODUCTION_ENV, "SEALED_STORAGE_ENDPOINT": endpoint}
            result = load_settings(env, "settings.SEALED_STORAGE_ENDPOINT")
            self.assertEqual(result.stdout.strip(), endpoint, result.stderr)
