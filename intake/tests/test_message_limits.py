"""Messages on return visits: counted per report and per client before any file is
cleaned, capped per report per day with the typed text kept, and stored once when
the page is sent again."""

import secrets

from django.core.files.uploadedfile import SimpleUploadedFile

from intake.models import Attachment, Message
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

from .test_faults import noise_png


class MessageLimitTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.receipt = receipt_in(self.client.post("/en/report/", report_form_data()))

    def message(self, text="A detail", remote="127.0.0.1", **extra):
        data = {"receipt": self.receipt, "action": "message", "text": text, **extra}
        data.setdefault("form_id", secrets.token_urlsafe(16))
        return self.client.post("/en/receipt/", data, REMOTE_ADDR=remote)

    def test_it_caps_messages_per_report_per_day_and_keeps_the_text(self):
        for number in range(20):
            self.assertEqual(self.message(f"detail {number}").status_code, 200)
        refused = self.message("the twenty-first detail")
        self.assertContains(refused, "as many messages and files", status_code=429)
        self.assertContains(refused, "the twenty-first detail", status_code=429)
        self.assertEqual(Message.objects.filter(sender="reporter").count(), 20)

    def test_it_limits_each_client_per_hour(self):
        with self.settings(INTAKE_MESSAGES_PER_HOUR=2):
            for _ in range(2):
                self.assertEqual(self.message(remote="198.51.100.7").status_code, 200)
            refused = self.message("kept words", remote="198.51.100.7")
            other = self.message(remote="198.51.100.8")
        self.assertContains(refused, "Too many messages", status_code=429)
        self.assertContains(refused, "kept words", status_code=429)
        self.assertEqual(other.status_code, 200)
        self.assertEqual(Message.objects.count(), 3)

    def test_it_caps_the_bytes_of_files_per_report_per_day_before_cleaning(self):
        photo = noise_png(40)
        with self.settings(INTAKE_MESSAGE_BYTES_PER_DAY=len(photo) + 10):
            first = self.message(attachments=SimpleUploadedFile("a.png", photo, "image/png"))
            second = self.message(
                "with a second photo", attachments=SimpleUploadedFile("b.png", photo, "image/png")
            )
        self.assertEqual(first.status_code, 200)
        self.assertContains(second, "as many messages and files", status_code=429)
        self.assertContains(second, "with a second photo", status_code=429)
        self.assertContains(second, "choose them again", status_code=429)
        self.assertEqual(Attachment.objects.filter(message__isnull=False).count(), 1)

    def test_a_reloaded_message_is_stored_once(self):
        form_id = secrets.token_urlsafe(16)
        self.assertContains(self.message("only once", form_id=form_id), "was added")
        again = self.message("only once", form_id=form_id)
        self.assertContains(again, "already added")
        self.assertEqual(Message.objects.count(), 1)

    def test_the_status_page_gives_the_message_form_a_fresh_one_time_id(self):
        pages = [self.client.post("/en/receipt/", {"receipt": self.receipt}) for _ in range(2)]
        ids = [p.content.decode().split('name="form_id" value="')[1][:22] for p in pages]
        self.assertNotEqual(ids[0], ids[1])
        self.assertEqual(len(ids[0]), 22)

    def test_the_refusal_speaks_the_reporters_language(self):
        data = {"receipt": self.receipt, "action": "message", "text": "слова"}
        with self.settings(INTAKE_MESSAGES_PER_DAY=0):
            refused = self.client.post("/ru/receipt/", data)
        self.assertContains(refused, "отправьте это завтра", status_code=429)
        self.assertContains(refused, "слова", status_code=429)
