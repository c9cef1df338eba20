import re
from datetime import timedelta

from django.utils import timezone

from accounts.models import Notification
from intake import receipts, returns, shredding
from intake.models import Message, Report, ReportKey
from intake.tasks import shred_withdrawn_reports
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.tasks import celery_conf


class ReturnVisitTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        response = self.client.post("/en/report/", report_form_data())
        self.receipt = receipt_in(response)
        self.report = Report.objects.get()

    def visit(self, receipt=None, **data):
        return self.client.post("/en/receipt/", {"receipt": receipt or self.receipt, **data})

    def test_it_shows_the_status_in_plain_words(self):
        response = self.visit()
        self.assertContains(response, "Received")
        self.assertContains(response, "keep my identity confidential")

    def test_it_shows_the_status_in_the_reporters_language_words(self):
        Report.objects.filter(id=self.report.id).update(status="followed")
        self.assertContains(self.visit(), "Being followed by a caseworker")

    def test_it_accepts_the_receipt_without_spaces(self):
        self.assertContains(self.visit(self.receipt.replace(" ", "")), "Your report")

    def test_it_shows_messages_from_the_organisation(self):
        access = returns.open_with_receipt(receipts.normalise(self.receipt))
        assert access is not None
        returns.add_message(access, Message.Sender.STAFF, "Can you send a photo?", [])
        self.assertContains(self.visit(), "Can you send a photo?")

    def test_it_adds_information_sealed(self):
        response = self.visit(action="message", text="He was seen in Kashgar in 2019.")
        self.assertContains(response, "Your information was added")
        self.assertContains(response, "He was seen in Kashgar in 2019.")
        message = Message.objects.get()
        self.assertEqual(message.sender, "reporter")
        self.assertNotIn(b"Kashgar", bytes(message.sealed_body))

    def test_a_reporters_message_notifies_the_cases_staff_without_content(self):
        with celery_conf(task_always_eager=True), self.captureOnCommitCallbacks(execute=True):
            self.visit(action="message", text="Another detail")
        notification = Notification.objects.get(kind="reporter-message")
        self.assertEqual(notification.staff, self.ines)
        self.assertEqual(notification.subject, self.report.id)

    def test_a_thread_keeps_its_order_and_the_day_but_no_time(self):
        access = returns.open_with_receipt(receipts.normalise(self.receipt))
        assert access is not None
        for sender, text in [("staff", "Question one"), ("reporter", "Answer"), ("staff", "Two")]:
            returns.add_message(access, sender, text, [])
        self.assertEqual(
            [(m.sender, m.number) for m in Message.objects.all()],
            [("staff", 1), ("reporter", 2), ("staff", 3)],
        )
        self.assertEqual(
            [e.text for e in returns.thread(access)], ["Question one", "Answer", "Two"]
        )
        kinds = {f.get_internal_type() for f in Message._meta.concrete_fields}
        self.assertNotIn("DateTimeField", kinds)

    def test_it_refuses_an_empty_message_and_says_why(self):
        response = self.visit(action="message", text="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Write something or choose a file", status_code=400)
        self.assertFalse(Message.objects.exists())

    def test_it_changes_consent(self):
        response = self.visit(action="consent", consent="internal")
        self.assertContains(response, "Your choice was saved")
        self.report.refresh_from_db()
        self.assertEqual(self.report.consent, "internal")

    def test_it_refuses_an_unknown_consent(self):
        response = self.visit(action="consent", consent="everything")
        self.assertEqual(response.status_code, 400)
        self.report.refresh_from_db()
        self.assertEqual(self.report.consent, "un-confidential")

    def test_it_withdraws_only_when_confirmed(self):
        self.assertEqual(self.visit(action="withdraw").status_code, 400)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "received")
        response = self.visit(action="withdraw", confirm="on")
        self.assertContains(response, "Your report was withdrawn")
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.consent), ("withdrawn", "internal"))
        self.assertIsNotNone(self.report.withdrawn_on)

    def test_a_shredded_report_no_longer_opens(self):
        shredding.shred(self.report)
        self.assertFalse(ReportKey.objects.filter(report=self.report).exists())
        self.report.refresh_from_db()
        self.assertEqual(bytes(self.report.reporter_key), b"")
        self.assertEqual(bytes(self.report.sealed_content), b"")
        self.assertContains(self.visit(), "does not open a report", status_code=400)

    def test_a_wrong_receipt_and_a_missing_report_get_the_same_answer(self):
        other = receipts.display(receipts.new())
        wrong = self.visit(other)
        Report.objects.all().delete()
        missing = self.visit(self.receipt)
        self.assertEqual(wrong.status_code, missing.status_code)
        strip = lambda r: re.sub(rb'value="[^"]*"', b"", r.content)  # noqa: E731
        self.assertEqual(strip(wrong), strip(missing))

    def test_a_wrong_receipt_costs_the_same_key_derivation(self):
        calls = []
        original = receipts.derive

        def counting(receipt, pepper):
            calls.append(receipt)
            return original(receipt, pepper)

        receipts.derive = counting
        self.addCleanup(setattr, receipts, "derive", original)
        self.visit(receipts.display(receipts.new()))
        self.visit()
        self.assertEqual(len(calls), 2)

    def test_it_explains_a_typo(self):
        typo = self.receipt[:-1] + str((int(self.receipt[-1]) + 1) % 10)
        response = self.visit(typo)
        self.assertContains(response, "one of these is wrong or missing", status_code=400)

    def test_the_receipt_never_appears_in_a_url_or_cookie(self):
        response = self.visit()
        digits = self.receipt.replace(" ", "")
        for cookie in self.client.cookies.values():
            self.assertNotIn(digits, cookie.value)
        self.assertNotIn(digits, response.request["PATH_INFO"])
        self.assertNotIn(digits, response.request.get("QUERY_STRING", ""))


class ShredWithdrawnTestCase(BaseTestCase):
    def test_a_withdrawn_report_is_shredded_after_its_grace_period(self):
        response = self.client.post("/en/report/", report_form_data())
        receipt = receipt_in(response)
        self.client.post(
            "/en/receipt/", {"receipt": receipt, "action": "withdraw", "confirm": "on"}
        )
        shred_withdrawn_reports.apply()
        self.assertTrue(ReportKey.objects.exists())  # still within its grace period
        Report.objects.update(withdrawn_on=timezone.localdate() - timedelta(days=8))
        shred_withdrawn_reports.apply()
        self.assertFalse(ReportKey.objects.exists())
        self.assertContains(
            self.client.post("/en/receipt/", {"receipt": receipt}),
            "does not open a report",
            status_code=400,
        )
