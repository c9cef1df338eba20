"""On PostgreSQL (jsonb subjects, the append-only trigger and the waiting guard): the
filters, the once-a-day opening and the verdict behave as on every other database."""

import uuid
from unittest import skipUnless

from django.db import connection
from django.utils import timezone

from audit import chain, services
from audit.models import Action, ChainCheck, Entry, Waiting
from audit.tests.auditor import AuditorTestCase


@skipUnless(connection.vendor == "postgresql", "jsonb and the triggers are PostgreSQL's")
class LogOnPostgresqlTestCase(AuditorTestCase):
    def test_it_finds_a_subject_as_a_whole_jsonb_element(self):
        report = uuid.uuid4()
        chain.record("staff:1", Action.REPORT_OPENED, [report])
        chain.record("staff:1", Action.LOGIN, [11])
        by_report = services.waiting_entries({"subject": report.hex})
        self.assertEqual([w.action for w in by_report], [Action.REPORT_OPENED])
        self.assertEqual(
            services.chain_entries({"subject": "1"}).filter(actor="staff:1").count(), 0
        )
        self.assertEqual(services.chain_entries({"subject": "11"}).count(), 1)

    def test_it_records_an_opening_once_a_day_against_jsonb(self):
        report = uuid.uuid4()
        self.assertTrue(chain.record_view("staff:2", Action.REPORT_OPENED, report))
        self.assertFalse(chain.record_view("staff:2", Action.REPORT_OPENED, report))
        self.assertTrue(chain.record_view("staff:3", Action.REPORT_OPENED, report))
        self.assertEqual(Waiting.objects.filter(action=Action.REPORT_OPENED).count(), 2)

    def test_it_filters_a_day_range_in_the_servers_zone(self):
        today = timezone.localdate()
        rows = services.chain_entries({"start": today, "end": today})
        self.assertEqual(rows.count(), Entry.objects.count())

    def test_a_verdict_is_stored_while_the_entries_stay_append_only(self):
        check = chain.check("daily")
        self.assertTrue(check.ok)
        self.assertEqual(ChainCheck.objects.get().entries_checked, Entry.objects.count())
        self.sign_in(self.ada)
        response = self.client.post("/staff/audit/verify/", follow=True)
        self.assertContains(response, "The chain is intact")
        self.assertEqual(ChainCheck.objects.count(), 2)
