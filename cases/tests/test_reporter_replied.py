"""A reporter's message on a return visit marks the report in the inbox until a
holder opens it."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from accounts import services as accounts
from cases import services as cases
from intake.models import Report
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import receipt_in, report_form_data


class ReporterRepliedTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        self.report = Report.objects.get()
        ines_key = accounts.unlock_private_key(self.ines, PASSWORDS["ines"])
        self._private_keys[self.ines.pk] = ines_key.to_bytes()
        cases.assign(self.ines, ines_key, self.report.id, self.alice)

    def reply(self, text: str = "He was seen in Aksu.") -> None:
        self.client.post(
            "/en/receipt/", {"receipt": self.receipt, "action": "message", "text": text}
        )

    def marked(self, response) -> bool:
        return "unread</strong>" in response.content.decode()

    def test_it_marks_the_report_with_the_day_of_the_reply(self):
        self.assertIsNone(Report.objects.get().replied_on)
        self.reply()
        report = Report.objects.get()
        self.assertEqual(report.replied_on, timezone.localdate())
        self.assertEqual(report.active_on, timezone.localdate())
        field = Report._meta.get_field("replied_on")
        self.assertEqual(field.get_internal_type(), "DateField")

    def test_it_shows_and_filters_the_reply_until_a_holder_opens_the_report(self):
        self.reply()
        self.sign_in(self.alice)
        self.assertTrue(self.marked(self.client.get("/staff/reports/")))
        replied = self.client.get("/staff/reports/?replied=1")
        links = re.findall(r'href="/staff/reports/[0-9a-f-]{36}/"', replied.content.decode())
        self.assertEqual(len(links), 1)
        self.assertEqual(self.client.get(f"/staff/reports/{self.report.id}/").status_code, 200)
        self.assertIsNone(Report.objects.get().replied_on)
        self.assertFalse(self.marked(self.client.get("/staff/reports/")))
        self.assertContains(self.client.get("/staff/reports/?replied=1"), "0 reports")

    def test_bob_neither_sees_nor_clears_alices_reply(self):
        self.reply()
        self.sign_in(self.bob)
        self.assertFalse(self.marked(self.client.get("/staff/reports/")))
        inbox = self.client.get("/staff/reports/")
        self.assertContains(inbox, "Reporter replied, not yet read (0)")
        self.assertEqual(self.client.get(f"/staff/reports/{self.report.id}/").status_code, 404)
        self.assertEqual(Report.objects.get().replied_on, timezone.localdate())

    def test_a_later_reply_keeps_the_day_of_the_oldest_unread_one(self):
        self.reply()
        Report.objects.update(replied_on=timezone.localdate() - timedelta(days=3))
        self.reply("Another detail.")
        self.assertEqual(Report.objects.get().replied_on, timezone.localdate() - timedelta(days=3))

    def test_a_message_from_staff_is_activity_but_no_reply(self):
        Report.objects.update(active_on=timezone.localdate() - timedelta(days=9))
        self.sign_in(self.alice)
        self.client.post(f"/staff/reports/{self.report.id}/message/", {"text": "Any news?"})
        report = Report.objects.get()
        self.assertIsNone(report.replied_on)
        self.assertEqual(report.active_on, timezone.localdate())
