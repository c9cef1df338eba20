"""The chain is verified daily (a beat task) and on demand (the auditor's button,
itself audited); the page shows the last verdict, with its day only, instead of
verifying the whole chain on every view."""

from unittest import mock

from django.conf import settings
from django.db import connection
from django.utils import timezone

from audit import chain, tasks
from audit.models import Action, ChainCheck, Entry
from audit.tests.auditor import AuditorTestCase


class ChainVerdictTestCase(AuditorTestCase):
    def test_it_says_when_there_is_no_verdict_yet_and_offers_the_button(self):
        self.sign_in(self.ada)
        page = self.page()
        self.assertIn("The chain has not been verified yet", page)
        self.assertIn('action="/staff/audit/verify/"', page)

    def test_the_daily_task_stores_the_verdict(self):
        self.assertTrue(tasks.verify_chain())
        check = ChainCheck.objects.get()
        self.assertEqual(check.day, timezone.localdate())
        self.assertTrue(check.ok)
        self.assertEqual(check.entries_checked, Entry.objects.count())
        self.assertEqual(check.by, "daily")

    def test_the_daily_task_is_scheduled_by_beat(self):
        tasks_run = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertIn("audit.tasks.verify_chain", tasks_run)

    def test_the_button_verifies_stores_and_is_audited(self):
        self.sign_in(self.ada)
        response = self.client.post("/staff/audit/verify/", follow=True)
        self.assertContains(response, "The chain is intact")
        check = ChainCheck.objects.get()
        self.assertEqual(check.by, "auditor")
        self.assertTrue(check.ok)
        verified = Entry.objects.filter(action=Action.CHAIN_VERIFIED)
        self.assertEqual([e.actor for e in verified], [chain.staff_actor(self.ada)])
        self.assertIn("Last verified on", response.content.decode())

    def test_the_button_needs_a_post(self):
        self.sign_in(self.ada)
        self.assertEqual(self.client.get("/staff/audit/verify/").status_code, 405)
        self.assertFalse(ChainCheck.objects.exists())

    def test_the_page_shows_the_last_verdict_and_does_not_verify(self):
        chain.check("daily")
        self.sign_in(self.ada)
        with mock.patch("audit.chain.verify") as verify:
            page = self.page()
        verify.assert_not_called()
        self.assertIn("the chain was intact", page)
        self.assertIn(timezone.localdate().isoformat(), page)

    def test_a_broken_chain_is_shown_as_broken_with_the_entry(self):
        entry = Entry.objects.order_by("sequence")[2]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
                cursor.execute(
                    "UPDATE audit_entry SET actor = 'staff:99' WHERE id = %s", [entry.pk]
                )
                cursor.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
        else:
            Entry.objects.filter(pk=entry.pk).update(actor="staff:99")
        self.assertFalse(tasks.verify_chain())
        self.sign_in(self.ada)
        page = self.page()
        self.assertIn(f"the chain is broken at entry #{entry.sequence}", page)

    def test_the_verdict_keeps_a_day_and_no_time(self):
        fields = {f.name: f.get_internal_type() for f in ChainCheck._meta.get_fields()}
        self.assertEqual(fields["day"], "DateField")
        self.assertNotIn("DateTimeField", fields.values())
