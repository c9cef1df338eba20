"""What uploads may cost: cleaning only after the form is valid and the submission admitted,
in a bounded pool of cleaners, within a budget per request; oversized bodies get a 413 page."""

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from intake import sanitise
from intake.cleaning import pool
from intake.models import Report
from intake.tests import hostile_files as corpus
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

ROOT = Path(__file__).resolve().parent.parent.parent


def slow_pdf(lines: int = 300_000) -> bytes:
    """A small PDF whose one page takes seconds to draw."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    ops = b"1 0 0 rg 10 10 500 700 re f 0 0 1 rg 20 20 480 680 re f\n" * lines
    pdf.pages[0].Contents = pdf.make_stream(ops)
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def broken_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("broken.pdf", b"%PDF-1.7\nnot really a pdf", "application/pdf")


class HoldSlots:
    """Another process holding every cleaner slot, as busy web workers would."""

    def __init__(self, directory, count: int):
        code = (
            "import sys, contextlib\n"
            "from intake.cleaning import pool\n"
            "with contextlib.ExitStack() as stack:\n"
            f"    for _ in range({count}):\n"
            f"        stack.enter_context(pool.slot({str(directory)!r}, {count}, 5))\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.read()\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ},
        )
        assert self.process.stdout is not None  # stdout=PIPE
        assert self.process.stdout.readline().strip() == b"held"

    def release(self) -> None:
        assert self.process.stdin is not None  # stdin=PIPE
        self.process.stdin.close()
        self.process.wait(timeout=10)


def test_it_lets_at_most_n_cleaners_hold_a_slot_across_processes(tmp_path):
    holder = HoldSlots(tmp_path, 2)
    try:
        with pytest.raises(pool.Busy):
            with pool.slot(tmp_path, 2, wait_seconds=0.2):
                pass
        with pool.slot(tmp_path, 3, wait_seconds=0.2) as number:  # a third slot is free
            assert number == 2
    finally:
        holder.release()
    with pool.slot(tmp_path, 2, wait_seconds=0.2) as number:  # freed when its holder ended
        assert number == 0


def test_it_frees_a_slot_when_its_holder_is_killed(tmp_path):
    holder = HoldSlots(tmp_path, 1)
    holder.process.kill()
    holder.process.wait(timeout=10)
    with pool.slot(tmp_path, 1, wait_seconds=1):
        pass


def test_it_stops_a_file_when_the_requests_budget_is_spent():
    data = slow_pdf()
    budget = sanitise.Budget(2)
    started = time.monotonic()
    with pytest.raises(sanitise.SanitiseError) as caught:
        sanitise.sanitise(data, budget)
    assert caught.value.reason == sanitise.OVER_BUDGET
    assert time.monotonic() - started < 2 + 3  # its share, and a margin for starting up
    with pytest.raises(sanitise.SanitiseError) as caught:
        sanitise.sanitise(corpus.jpeg_with_gps(), budget)  # nothing is left for another file
    assert caught.value.reason == sanitise.OVER_BUDGET


class UploadLimitsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.slots_dir = Path(settings.DATA_DIR) / f"test-slots-{os.getpid()}"
        self.settings_override = override_settings(
            CLEANING_SLOTS_DIR=self.slots_dir, CLEANING_SLOTS=1, CLEANING_SLOT_WAIT_SECONDS=0.2
        )
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)

    def hold_slots(self) -> HoldSlots:
        holder = HoldSlots(self.slots_dir, 1)
        self.addCleanup(holder.release)
        return holder

    def test_it_cleans_no_file_of_a_form_that_is_otherwise_invalid(self):
        self.hold_slots()  # cleaning now would answer "busy"
        data = report_form_data(name_1="", narrative="Kept text", attachments=[broken_pdf()])
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertNotContains(response, "was not accepted", status_code=400)
        self.assertNotContains(response, "Many files are being received", status_code=400)

    # The global budget: the test client comes from a trusted proxy without a client header.
    @override_settings(INTAKE_SUBMISSIONS_PER_HOUR=0, INTAKE_SUBMISSIONS_PER_MINUTE=0)
    def test_it_cleans_no_file_when_the_submission_limit_refuses(self):
        data = report_form_data(attachments=[broken_pdf()])
        response = self.client.post("/en/report/", data)
        self.assertEqual(response.status_code, 429)
        self.assertNotContains(response, "was not accepted", status_code=429)

    def test_it_says_busy_and_keeps_the_text_when_every_cleaner_is_taken(self):
        holder = self.hold_slots()
        data = report_form_data(
            narrative="Seen at the bazaar",
            attachments=[SimpleUploadedFile("a.jpg", corpus.jpeg_with_gps())],
        )
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "Many files are being received", status_code=503)
        self.assertContains(response, "Seen at the bazaar", status_code=503)
        self.assertFalse(Report.objects.exists())
        holder.release()
        data["attachments"] = [SimpleUploadedFile("a.jpg", corpus.jpeg_with_gps())]
        receipt_in(self.client.post("/en/report/", data))  # the same form, sent again, goes in
        self.assertEqual(Report.objects.count(), 1)

    @override_settings(CLEANING_SECONDS_PER_REQUEST=2)
    def test_it_refuses_files_over_the_requests_budget_and_keeps_the_text(self):
        files = [SimpleUploadedFile(f"slow{n}.pdf", slow_pdf()) for n in range(3)]
        data = report_form_data(narrative="Seen at the bazaar", attachments=files)
        started = time.monotonic()
        response = self.client.post("/en/report/", data)
        self.assertLess(time.monotonic() - started, 2 + 5)  # not 3 files x 15 s
        self.assertContains(response, "take too long to prepare", status_code=400)
        self.assertContains(response, "Seen at the bazaar", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_it_cleans_a_return_visit_message_only_with_a_free_cleaner(self):
        receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        self.hold_slots()
        response = self.client.post(
            "/en/receipt/",
            {
                "receipt": receipt,
                "action": "message",
                "text": "A letter came",
                "attachments": [SimpleUploadedFile("a.jpg", corpus.jpeg_with_gps())],
            },
        )
        self.assertContains(response, "Many files are being received", status_code=400)
        self.assertContains(response, "A letter came", status_code=400)


def test_it_waits_for_a_slot_as_long_as_one_request_may_clean_by_default():
    assert settings.CLEANING_SLOTS >= 2  # two reporters at once are both served
    assert settings.CLEANING_SLOT_WAIT_SECONDS >= settings.CLEANING_SECONDS_PER_REQUEST


class QueuedUploadTestCase(BaseTestCase):
    """With the default wait, a reporter behind another one is served, not told "busy"."""

    def test_it_serves_a_reporter_queued_behind_a_slow_one(self):
        slots_dir = Path(settings.DATA_DIR) / f"test-queue-{os.getpid()}"
        with override_settings(CLEANING_SLOTS_DIR=slots_dir, CLEANING_SLOTS=1):
            holder = HoldSlots(slots_dir, 1)  # another reporter's five photos, cleaning
            self.addCleanup(holder.release)
            threading.Timer(4, holder.release).start()  # they take 4 s, as 12 MP photos do
            data = report_form_data(
                attachments=[SimpleUploadedFile("a.jpg", corpus.jpeg_with_gps())]
            )
            receipt_in(self.client.post("/en/report/", data))
        self.assertEqual(Report.objects.count(), 1)

    def test_it_refuses_a_file_that_would_grow_too_large_in_the_reporters_language(self):
        data = report_form_data(
            narrative="Seen at the bazaar",
            attachments=[SimpleUploadedFile("scan.pdf", corpus.pdf_noise())],
        )
        response = self.client.post("/ru/report/", data)
        self.assertContains(response, "файл станет слишком большим", status_code=400)
        self.assertContains(response, "Seen at the bazaar", status_code=400)
        self.assertFalse(Report.objects.exists())
