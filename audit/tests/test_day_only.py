"""What a reporter does, and anything that names a report, keeps only its day in the
audit log: not in its time stamp, and not through its place between timed entries."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import TestCase
from django.utils import timezone

from audit import chain, tasks
from audit.models import Action, Entry, Waiting
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

NAMES_A_REPORT = [
    Action.REPORT_RECEIVED,
    Action.REPORT_OPENED,
    Action.INBOX_VIEWED,
    Action.REPORT_ASSIGNED,
    Action.MESSAGE_SENT,
    Action.PERSON_CREATED,
    Action.PERSON_LINKED,
    Action.ATTACHMENT_DOWNLOADED,
    Action.ATTACHMENT_PREVIEWED,
    Action.CONSENT_CHANGED,
    Action.REPORT_WITHDRAWN,
    Action.REPORT_SHREDDED,
    Action.EXPORT,
    Action.EXPORT_DRAFTED,
    Action.EXPORT_BLOCKED,
    Action.KEY_GRANTED,  # recovery grants name the report
    Action.KEY_REVOKED,  # so does taking a caseworker off a report
]


def yesterday() -> datetime:
    return chain.midnight(timezone.localdate() - timedelta(days=1))


class RuleTestCase(TestCase):
    def test_it_keeps_only_the_day_of_every_action_that_names_a_report(self):
        for action in NAMES_A_REPORT:
            with self.subTest(action=action):
                self.assertTrue(chain.keeps_day_only("staff:3", action))

    def test_it_keeps_only_the_day_of_anything_a_reporter_does(self):
        for action in Action:
            self.assertTrue(chain.keeps_day_only("reporter", action))

    def test_it_keeps_the_time_of_staff_events_that_name_no_report(self):
        for action in (Action.LOGIN, Action.LOGIN_FAILED, Action.STAFF_CREATED):
            self.assertFalse(chain.keeps_day_only("staff:3", action))


class ChainTestCase(TestCase):
    def test_it_keeps_a_day_only_entry_out_of_the_chain_until_its_day_is_over(self):
        report = uuid.uuid4()
        chain.record("staff:1", Action.LOGIN, [1])
        chain.record("reporter", Action.CONSENT_CHANGED, [report])
        chain.record("staff:1", Action.LOGOUT, [1])
        self.assertEqual(
            list(Entry.objects.values_list("action", flat=True)), [Action.LOGIN, Action.LOGOUT]
        )
        self.assertEqual(chain.append_waiting(), 0)  # today is not over
        waiting = Waiting.objects.get()
        self.assertEqual(waiting.created_at, chain.midnight(timezone.localdate()))
        self.assertEqual(waiting.subjects, [report.hex])

    def test_it_appends_a_finished_day_before_the_first_timed_entry_of_the_next(self):
        chain.record("staff:1", Action.LOGIN, [1])
        for action in (Action.REPORT_WITHDRAWN, Action.CONSENT_CHANGED):
            Waiting.objects.create(
                created_at=yesterday(), actor="reporter", action=action, subjects=[uuid.uuid4().hex]
            )
        chain.record("staff:1", Action.LOGOUT, [1])
        entries = list(Entry.objects.all())
        self.assertEqual(
            [e.action for e in entries],
            [Action.LOGIN, Action.CONSENT_CHANGED, Action.REPORT_WITHDRAWN, Action.LOGOUT],
        )
        self.assertEqual({e.created_at for e in entries[1:3]}, {yesterday()})
        self.assertFalse(Waiting.objects.exists())
        self.assertTrue(chain.verify().ok)  # read back from the database

    def test_it_orders_a_day_by_content_not_by_when_things_happened(self):
        reports = sorted(uuid.uuid4().hex for _ in range(3))
        happened = [
            ("staff:2", Action.REPORT_OPENED, [reports[2]]),
            ("reporter", Action.CONSENT_CHANGED, [reports[1]]),
            ("staff:2", Action.REPORT_OPENED, [reports[0]]),
            ("reporter", Action.CONSENT_CHANGED, [reports[0]]),
        ]
        orders = []
        for events in (happened, happened[::-1]):
            for actor, action, ids in events:
                Waiting.objects.create(
                    created_at=yesterday(), actor=actor, action=action, subjects=ids
                )
            start = Entry.objects.count()
            self.assertEqual(tasks.append_waiting_entries(), 4)
            orders.append(
                list(Entry.objects.filter(sequence__gt=start).values_list("action", "subjects"))
            )
        self.assertEqual(orders[0], orders[1])
        self.assertEqual(
            orders[0],
            [
                (Action.CONSENT_CHANGED, [reports[0]]),
                (Action.CONSENT_CHANGED, [reports[1]]),
                (Action.REPORT_OPENED, [reports[0]]),
                (Action.REPORT_OPENED, [reports[2]]),
            ],
        )
        self.assertTrue(chain.verify().ok)

    def test_beat_closes_the_days_that_are_over(self):
        tasks_run = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertIn("audit.tasks.append_waiting_entries", tasks_run)

    def test_postgresql_lets_a_waiting_entry_leave_only_into_the_chain(self):
        if connection.vendor != "postgresql":
            self.skipTest("the trigger exists on PostgreSQL only")
        row = chain.record("reporter", Action.CONSENT_CHANGED, [uuid.uuid4()])
        assert isinstance(row, Waiting)  # a day-only entry waits for the chain
        for sql in ("UPDATE audit_waiting SET actor = 'x'", "DELETE FROM audit_waiting"):
            with self.assertRaises(DatabaseError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql)
        self.assertTrue(Waiting.objects.filter(pk=row.pk).exists())


class ThroughTheSiteTestCase(BaseTestCase):
    def test_it_keeps_only_the_day_of_a_reporters_consent_change_and_withdrawal(self):
        receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        self.client.post(
            "/en/receipt/", {"receipt": receipt, "action": "consent", "consent": "internal"}
        )
        self.client.post(
            "/en/receipt/", {"receipt": receipt, "action": "withdraw", "confirm": "on"}
        )
        self.assertFalse(Entry.objects.filter(actor="reporter").exists())
        chain.append_waiting(before=timezone.localdate() + timedelta(days=1))
        entries = Entry.objects.filter(actor="reporter")
        self.assertEqual(
            [e.action for e in entries], [Action.CONSENT_CHANGED, Action.REPORT_WITHDRAWN]
        )
        for entry in entries:
            self.assertEqual(entry.created_at, chain.midnight(timezone.localdate()))
        self.assertTrue(chain.verify().ok)

    def test_it_keeps_only_the_day_of_an_inbox_view_that_lists_reports(self):
        self.client.post("/en/report/", report_form_data())
        self.sign_in(self.ines)
        self.assertEqual(self.client.get("/staff/reports/").status_code, 200)
        self.assertFalse(Entry.objects.filter(action=Action.INBOX_VIEWED).exists())
        viewed = Waiting.objects.get(action=Action.INBOX_VIEWED)
        self.assertEqual(viewed.created_at, chain.midnight(timezone.localdate()))

    def test_the_auditor_sees_todays_waiting_entries_by_day(self):
        from accounts import services
        from accounts.models import Role

        key = self.private_key(self.coordinator)
        auditor = services.add_staff(
            "ada", Role.AUDITOR, "ada-auditor-pass-8m", self.coordinator, key
        )
        report = uuid.uuid4()
        chain.record("reporter", Action.CONSENT_CHANGED, [report])
        self.sign_in(auditor)
        response = self.client.get("/staff/audit/")
        self.assertContains(response, "Waiting for their day to end")
        self.assertContains(response, report.hex)
