"""Sealed attachments in S3-compatible object storage (SEALED_STORAGE_URL), against a
real server process: moto's S3 server on a free port (or the server
AMANAT_TEST_S3_ENDPOINT names, tests/s3.py). Reports go through the app; the bucket is
read back as the provider would see it."""

from __future__ import annotations

import io
import os
import secrets
import socket
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import BotoCoreError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import override_settings
from PIL import Image

from intake import shredding, storage
from intake.models import Attachment, Report
from intake.storage import s3
from intake.tests.test_faults import noise_png
from tests import servers
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.s3 import (
    Bucket,
    CuttableLink,
    MotoServer,
    module_endpoint,
    new_bucket,
    start_module_server,
    stop_module_server,
)

pytestmark = pytest.mark.slow
MiB = 1024 * 1024


def windows(data: bytes, size: int = 16) -> Iterator[bytes]:
    """Every 16-byte slice of data, one starting at each eighth byte."""
    for start in range(0, max(len(data) - size, 0) + 1, 8):
        yield data[start : start + size]


class Failing(Exception):
    pass


def chunks_then_failure(megabytes: int) -> Iterator[bytes]:
    """`megabytes` MiB of sealed-looking chunks, then the encryptor fails."""
    chunk = os.urandom(MiB)
    for _ in range(megabytes):
        yield chunk
    raise Failing("the encryptor failed")


setUpModule = start_module_server
tearDownModule = stop_module_server


class S3TestCase(BaseTestCase):
    """The app in this process with its sealed storage in a bucket of the test's own."""

    bucket: Bucket

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.bucket = new_bucket(module_endpoint())
        cls.addClassCleanup(cls.bucket.remove)

    def setUp(self) -> None:
        super().setUp()
        self.bucket.empty()
        # Nothing may land in the local folder either: it is empty and stays so.
        self.local = Path(tempfile.mkdtemp(prefix="amanat-sealed-"))
        self.addCleanup(servers.shutil.rmtree, self.local, True)
        override = override_settings(SEALED_STORAGE_DIR=str(self.local), **self.bucket.settings())
        override.enable()
        self.addCleanup(override.disable)

    def submit_with_photo(self) -> tuple[Report, bytes]:
        photo = noise_png(40)
        data = report_form_data(attachments=SimpleUploadedFile("photo.png", photo, "image/png"))
        receipt_in(self.client.post("/en/report/", data))
        return Report.objects.get(), photo

    def download(self, report: Report) -> bytes:
        self.sign_in(self.ines)
        attachment = Attachment.objects.get(report=report)
        response = self.client.get(f"/staff/reports/{report.id}/files/{attachment.id}/")
        self.assertEqual(response.status_code, 200)
        assert isinstance(response, StreamingHttpResponse)  # decrypted as it is sent
        return response.getvalue()


class SealedAttachmentsOnS3TestCase(S3TestCase):
    def test_it_stores_a_reports_attachment_in_the_bucket_as_ciphertext_only(self):
        report, photo = self.submit_with_photo()
        plaintext = self.download(report)
        objects = self.bucket.objects()
        attachment = Attachment.objects.get(report=report)
        self.assertEqual(list(objects), [f"sealed/{attachment.id.hex}"])
        sealed = objects[f"sealed/{attachment.id.hex}"]
        self.assertGreater(len(sealed), len(plaintext))
        for secret in (photo, plaintext):
            found = [piece for piece in windows(secret) if piece in sealed]
            self.assertEqual(found, [])
        head = self.bucket.client().head_object(
            Bucket=self.bucket.name, Key=f"sealed/{attachment.id.hex}"
        )
        self.assertEqual(head["Metadata"], {})  # nothing of ours beside the bytes
        self.assertEqual(list(self.local.rglob("*")), [])

    def test_it_lets_staff_read_the_attachment_decrypted_from_the_bucket(self):
        report, photo = self.submit_with_photo()
        plaintext = self.download(report)
        sent, served = Image.open(io.BytesIO(photo)), Image.open(io.BytesIO(plaintext))
        self.assertEqual(served.format, "PNG")
        self.assertEqual(served.convert("RGB").tobytes(), sent.convert("RGB").tobytes())

    def test_it_deletes_the_object_when_the_report_is_shredded(self):
        report, _ = self.submit_with_photo()
        self.assertEqual(len(self.bucket.objects()), 1)
        with self.captureOnCommitCallbacks(execute=True):
            shredding.shred(report)
        self.assertEqual(self.bucket.objects(), {})

    def test_it_refuses_a_report_when_the_bucket_cannot_be_reached_and_saves_nothing(self):
        photo = SimpleUploadedFile("photo.png", noise_png(40), "image/png")
        data = {**report_form_data(narrative="kept text"), "attachments": photo}
        down = f"http://127.0.0.1:{servers.free_port()}"  # nothing listens there
        with override_settings(SEALED_STORAGE_ENDPOINT=down):
            response = self.client.post("/en/report/", data)
        self.assertContains(response, "nothing was saved", status_code=503)
        self.assertContains(response, "kept text", status_code=503)
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.bucket.objects(), {})

    def test_it_says_storage_is_ok_when_the_bucket_takes_a_write_and_leaves_no_probe(self):
        body = self.client.get("/healthz").json()
        self.assertEqual(body["storage"], "ok")
        self.assertEqual(self.bucket.objects(), {})

    def test_it_says_storage_is_unreachable_at_once_when_nothing_listens(self):
        down = f"http://127.0.0.1:{servers.free_port()}"
        start = time.monotonic()
        with override_settings(SEALED_STORAGE_ENDPOINT=down):
            response = self.client.get("/healthz")
        self.assertLess(time.monotonic() - start, 2.0)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["storage"], "unreachable")

    def test_it_is_not_held_by_an_endpoint_that_accepts_and_never_answers(self):
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)  # connections complete in the backlog; nothing reads them
            down = f"http://127.0.0.1:{silent.getsockname()[1]}"
            start = time.monotonic()
            with override_settings(SEALED_STORAGE_ENDPOINT=down):
                response = self.client.get("/healthz")
            held = time.monotonic() - start
        self.assertLess(held, 5.0)
        self.assertEqual(response.json()["storage"], "unreachable")

    def test_it_says_storage_is_unreachable_when_the_bucket_does_not_exist(self):
        missing = f"s3://no-such-bucket-{secrets.token_hex(6)}/sealed"
        with override_settings(SEALED_STORAGE_URL=missing):
            self.assertEqual(self.client.get("/healthz").json()["storage"], "unreachable")


class S3BackendTestCase(S3TestCase):
    def test_it_writes_a_blob_of_several_parts_and_reads_it_back_in_pieces(self):
        blob = uuid.uuid4()
        data = os.urandom(s3.PART_SIZE * 2 + 12345)
        storage.write(blob, (data[i : i + MiB] for i in range(0, len(data), MiB)))
        self.assertEqual(self.bucket.uploads(), [])
        with storage.open_blob(blob) as reader:
            first = reader.read(1000)
            rest = reader.read()
        self.assertEqual(len(first), 1000)
        self.assertEqual(first + rest, data)

    def test_it_holds_about_one_part_of_a_large_blob_in_memory_not_the_blob(self):
        blob, chunk = uuid.uuid4(), os.urandom(MiB)
        storage.delete(blob)  # the client (and the service model it loads) made first
        tracemalloc.start()
        try:
            storage.write(blob, (chunk for _ in range(40)))
            write_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            with storage.open_blob(blob) as reader:
                while reader.read(64 * 1024):
                    pass
            read_peak = tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()
        self.assertLess(write_peak, s3.PART_SIZE + 4 * MiB)  # a 40 MiB blob
        self.assertLess(read_peak, 2 * MiB)

    def test_it_sends_a_small_blob_with_one_put_and_an_empty_one_too(self):
        small, empty = uuid.uuid4(), uuid.uuid4()
        storage.write(small, [b"sealed ", b"bytes"])
        storage.write(empty, [])
        objects = self.bucket.objects()
        self.assertEqual(objects[f"sealed/{small.hex}"], b"sealed bytes")
        self.assertEqual(objects[f"sealed/{empty.hex}"], b"")

    def test_it_leaves_no_object_and_no_open_upload_when_the_chunks_fail_midway(self):
        for megabytes in (3, 17):  # before the first part is full; after two parts went
            blob = uuid.uuid4()
            with self.assertRaises(Failing):
                storage.write(blob, chunks_then_failure(megabytes))
            self.assertEqual(self.bucket.objects(), {})
            self.assertEqual(self.bucket.uploads(), [])
            with self.assertRaises(FileNotFoundError):
                storage.open_blob(blob)

    def test_it_says_a_missing_blob_is_not_found_and_deleting_it_again_is_fine(self):
        blob = uuid.uuid4()
        storage.write(blob, [b"sealed"])
        storage.delete(blob)
        storage.delete(blob)
        with self.assertRaises(FileNotFoundError):
            storage.open_blob(blob)

    def test_it_lists_stale_blobs_and_aborts_uploads_a_killed_process_left(self):
        kept, other = uuid.uuid4(), uuid.uuid4()
        storage.write(kept, [b"sealed"])
        storage.write(other, [b"sealed"])
        client = self.bucket.client()
        # Not blobs: another prefix, and a name that is no id.
        client.put_object(Bucket=self.bucket.name, Key=f"elsewhere/{uuid.uuid4().hex}", Body=b"")
        client.put_object(Bucket=self.bucket.name, Key="sealed/.probe-left", Body=b"")
        # A process killed in the middle of a multipart upload leaves it open.
        client.create_multipart_upload(Bucket=self.bucket.name, Key=f"sealed/{uuid.uuid4().hex}")
        self.assertEqual(storage.stale_blobs(older_than=3600), [])  # all younger than that
        self.assertEqual(sorted(storage.stale_blobs(older_than=-60)), sorted([kept, other]))
        self.assertEqual(storage.sweep_partials(older_than=-60), 1)
        self.assertEqual(self.bucket.uploads(), [])

    def test_it_keeps_an_upload_that_may_still_be_under_way(self):
        client = self.bucket.client()
        client.create_multipart_upload(Bucket=self.bucket.name, Key=f"sealed/{uuid.uuid4().hex}")
        started = client.list_multipart_uploads(Bucket=self.bucket.name)["Uploads"][0]
        if started["Initiated"].year < 2020:
            self.skipTest(
                "this S3 server reports a fixed start time for every upload (moto does): "
                "run with AMANAT_TEST_S3_ENDPOINT set to a server that keeps real ones"
            )
        self.assertEqual(storage.sweep_partials(older_than=3600), 0)
        self.assertEqual(len(self.bucket.uploads()), 1)

    def test_it_sweeps_a_blob_whose_report_was_never_committed_and_keeps_the_others(self):
        report, _ = self.submit_with_photo()
        orphan = uuid.uuid4()
        storage.write(orphan, [b"sealed bytes"])
        self.assertEqual(shredding.sweep_orphans(older_than=-60), 1)
        attachment = Attachment.objects.get(report=report)
        self.assertEqual(list(self.bucket.objects()), [f"sealed/{attachment.id.hex}"])

    def test_it_leaves_an_upload_cut_off_midway_for_the_sweep_and_no_object(self):
        port = int(self.bucket.endpoint.rsplit(":", 1)[1])
        link = CuttableLink(port)
        self.addCleanup(link.close)

        def chunks() -> Iterator[bytes]:
            chunk = os.urandom(MiB)
            for sent in range(24):
                if sent == 12:  # one part has gone; the network fails before the next
                    link.cut()
                yield chunk

        start = time.monotonic()
        with (
            override_settings(SEALED_STORAGE_ENDPOINT=link.endpoint),
            self.assertRaises(BotoCoreError),
        ):
            storage.write(uuid.uuid4(), chunks())
        self.assertLess(time.monotonic() - start, 15.0)
        link.restore()
        # The abort could not get through either: the upload stays open, never an object.
        self.assertEqual(self.bucket.objects(), {})
        self.assertEqual(len(self.bucket.uploads()), 1)
        self.assertEqual(storage.sweep_partials(older_than=-60), 1)
        self.assertEqual(self.bucket.uploads(), [])

    def test_it_fails_fast_when_the_server_dies_in_the_middle_of_an_upload(self):
        own = MotoServer().start()
        self.addCleanup(own.kill)
        bucket = new_bucket(own.endpoint)

        def chunks() -> Iterator[bytes]:
            chunk = os.urandom(MiB)
            for sent in range(24):
                if sent == 12:  # one part has gone; the server dies before the next
                    own.kill()
                yield chunk

        start = time.monotonic()
        with override_settings(**bucket.settings()), self.assertRaises(BotoCoreError):
            storage.write(uuid.uuid4(), chunks())
        self.assertLess(time.monotonic() - start, 15.0)
