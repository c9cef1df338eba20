import json
import os

from django.conf import settings

import crypto
from accounts.models import KeyHolder, Notification
from crypto import recovery
from intake import notices, receipts, returns, sealing, tasks
from intake.models import PendingNotice, Report, ReportKey
from intake.tasks import send_notices
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.tasks import celery_conf


def open_as(report: Report, holder: KeyHolder, key: crypto.PrivateKey) -> dict:
    row = ReportKey.objects.get(report=report, holder=holder)
    dek = crypto.unwrap(bytes(row.wrapped), key, sealing.key_info(report.id, holder.id))
    return json.loads(
        crypto.open_(dek, bytes(report.sealed_content), sealing.content_aad(report.id))
    )


class SubmitTestCase(BaseTestCase):
    def submit(self, **overrides):
        response = self.client.post("/en/report/", report_form_data(**overrides))
        self.assertEqual(response.status_code, 200, response.content[:2000])
        return response

    def test_it_shows_a_receipt_once_and_stores_one_report(self):
        response = self.submit()
        self.assertContains(response, "This is your receipt")
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(response["Cache-Control"], "no-store, max-age=0")

    def test_it_keeps_only_workflow_fields_in_clear(self):
        self.submit()
        report = Report.objects.get()
        self.assertEqual(report.language, "en")
        self.assertEqual(report.consent, "un-confidential")
        self.assertEqual(report.region, "kashgar")
        self.assertEqual(report.status, "received")
        self.assertNotIn(b"Tursun", bytes(report.sealed_content))

    def test_it_wraps_the_key_for_intake_the_recovery_key_and_the_reporter_only(self):
        response = self.submit()
        report = Report.objects.get()
        holders = set(ReportKey.objects.filter(report=report).values_list("holder", flat=True))
        self.assertEqual(holders, {self.ines.holder_id, self.org.recovery_holder_id})
        receipt = receipts.normalise(receipt_in(response))
        reporter = receipts.derive(receipt, settings.RECEIPT_PEPPER).reporter
        self.assertEqual(bytes(report.reporter_public_key), reporter.public_key().to_bytes())
        dek = crypto.unwrap(
            bytes(report.reporter_key), reporter, sealing.reporter_key_info(report.id)
        )
        self.assertEqual(len(dek), 32)

    def test_intake_staff_can_open_it(self):
        self.submit()
        content = open_as(Report.objects.get(), self.ines.holder, self.private_key(self.ines))
        self.assertEqual(content["missing"]["names"][0]["name"], "Abdurehim Tursun")
        self.assertEqual(content["missing"]["names"][1]["script"], "ug-arab")
        self.assertEqual(
            content["disappearance"]["date"],
            {"year": 2018, "month": 4, "day": None, "precision": "month"},
        )

    def test_the_recovery_shares_can_open_it(self):
        self.submit()
        report = Report.objects.get()
        key = recovery.recover(self.shares[:3])
        self.assertEqual(
            open_as(report, self.org.recovery_holder, key)["reporter"]["reporter_name"], "Gulnar"
        )

    def test_bob_cannot_open_it(self):
        self.submit()
        report = Report.objects.get()
        self.assertFalse(ReportKey.objects.filter(report=report, holder=self.bob.holder).exists())
        ines_row = ReportKey.objects.get(report=report, holder=self.ines.holder)
        with self.assertRaises(crypto.DecryptionError):
            crypto.unwrap(
                bytes(ines_row.wrapped),
                self.private_key(self.bob),
                sealing.key_info(report.id, self.ines.holder_id),
            )

    def test_a_sealed_report_cannot_be_moved_to_another_row(self):
        self.submit()
        self.submit(name_1="Another Person")
        first, second = Report.objects.order_by("received_on", "id")[:2]
        row = ReportKey.objects.get(report=first, holder=self.ines.holder)
        dek = crypto.unwrap(
            bytes(row.wrapped),
            self.private_key(self.ines),
            sealing.key_info(first.id, self.ines.holder_id),
        )
        with self.assertRaises(crypto.DecryptionError):
            crypto.open_(dek, bytes(first.sealed_content), sealing.content_aad(second.id))

    def test_it_notifies_intake_staff_without_content(self):
        with celery_conf(task_always_eager=True), self.captureOnCommitCallbacks(execute=True):
            self.submit()
        report = Report.objects.get()
        self.assertTrue(report.announced)
        notification = Notification.objects.get()
        self.assertEqual(notification.staff, self.ines)
        self.assertEqual(notification.subject, report.id)
        self.assertEqual(notification.kind, "new-report")

    def test_it_succeeds_when_the_broker_is_down_and_sends_the_notice_later(self):
        down = {"broker_url": "redis://127.0.0.1:1/0", "task_always_eager": False}
        with celery_conf(**down), self.captureOnCommitCallbacks(execute=True):
            self.submit()
        report = Report.objects.get()
        self.assertFalse(report.announced)
        self.assertFalse(Notification.objects.exists())
        send_notices.apply()
        report.refresh_from_db()
        self.assertTrue(report.announced)
        self.assertEqual(Notification.objects.get().staff, self.ines)

    def test_a_broker_outage_is_logged_once_not_once_per_report(self):
        down = {"broker_url": "redis://127.0.0.1:1/0", "task_always_eager": False}
        with celery_conf(**down), self.assertLogs("intake.notices", "WARNING") as logs:
            for name in ("First Person", "Second Person", "Third Person"):
                notices.dispatcher.last_wake = float("-inf")  # as if after the retry interval
                with self.captureOnCommitCallbacks(execute=True):
                    self.submit(name_1=name)
        self.assertEqual(len(logs.records), 1)
        self.assertEqual(Report.objects.filter(announced=False).count(), 3)

    def test_one_dispatch_sends_every_pending_notice_once(self):
        with celery_conf(broker_url="redis://127.0.0.1:1/0", task_always_eager=False):
            with self.captureOnCommitCallbacks(execute=True):
                self.submit()
                self.submit(name_1="Second Person")
        self.assertEqual(notices.dispatch_notices(), 2)
        self.assertEqual(notices.dispatch_notices(), 0)
        self.assertEqual(Notification.objects.filter(staff=self.ines).count(), 2)

    def test_a_notice_leaves_no_row_and_no_time_behind_once_sent(self):
        self.submit()
        report = Report.objects.get()
        notices.queue_notice(Notification.Kind.REPORTER_MESSAGE, report.id)
        self.assertEqual(PendingNotice.objects.count(), 1)
        notices.dispatch_notices()
        self.assertFalse(PendingNotice.objects.exists())
        field_types = {f.get_internal_type() for f in PendingNotice._meta.get_fields()}
        self.assertFalse(field_types & {"DateTimeField", "DateField"})

    def test_a_web_process_knows_the_notice_task_without_importing_it(self):
        import subprocess
        import sys

        code = (
            "import django; django.setup(); from celery import current_app; "
            f"print({notices.SEND_TASK!r} in current_app.tasks)"
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env
        )
        self.assertEqual(result.stdout.strip(), "True", result.stderr[-500:])

    def test_it_wakes_the_dispatcher_at_most_once_a_second_and_loses_no_notice(self):
        woken = []
        task = tasks.send_notices
        self.addCleanup(setattr, task, "delay", task.delay)
        task.delay = lambda *args: woken.append(args)
        with self.captureOnCommitCallbacks(execute=True):
            self.submit()
            self.submit(name_1="Second Person")
        self.assertEqual(woken, [()])
        self.assertEqual(notices.dispatch_notices(), 2)


class ReceiptPageTestCase(BaseTestCase):
    def test_it_shows_each_reporter_their_own_receipt(self):
        first = receipt_in(self.client.post("/en/report/", report_form_data()))
        second = receipt_in(self.client.post("/en/report/", report_form_data()))
        self.assertNotEqual(first, second)
        for shown in (first, second):
            self.assertIsNotNone(returns.open_with_receipt(receipts.normalise(shown)))

    def test_the_receipt_page_is_spliced_not_rendered_for_each_report(self):
        from intake import views

        views._receipt_page_around.cache_clear()
        for language in ("en", "ug"):
            self.client.post(f"/{language}/report/", report_form_data())
            self.assertIsNotNone(views._receipt_page_around(language))

    def test_it_shows_the_receipt_page_in_the_reporters_language(self):
        response = self.client.post("/ug/report/", report_form_data())
        self.assertContains(response, 'lang="ug" dir="rtl"')
        self.assertContains(response, 'action="/ug/receipt/noted/"')
        self.assertNotContains(response, "This is your receipt")
        receipts.normalise(receipt_in(response))


class NoticeTimeTestCase(BaseTestCase):
    def test_a_new_report_notice_keeps_the_day_only(self):
        self.client.post("/en/report/", report_form_data())
        notices.dispatch_notices()
        notification = Notification.objects.get()
        times = [
            f.name
            for f in Notification._meta.get_fields()
            if getattr(f, "get_internal_type", lambda: "")() == "DateTimeField"
            and getattr(notification, f.name) is not None
        ]
        self.assertEqual(times, [])
        self.assertLessEqual(Report.objects.get().received_on, notification.created_on)
