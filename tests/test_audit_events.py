"""What the application writes to the audit log, and that the chain stays intact."""

from datetime import timedelta

from django.utils import timezone

from audit import chain
from audit.models import Action, Entry
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data


class EventsTestCase(BaseTestCase):
    def actions(self) -> list[str]:
        return list(Entry.objects.values_list("action", flat=True))

    def test_it_records_the_organisation_and_its_staff(self):
        actions = self.actions()
        self.assertEqual(actions[0], Action.ORGANISATION_CREATED)
        self.assertEqual(actions.count(Action.STAFF_CREATED), 3)  # ines, alice, bob
        created = Entry.objects.filter(action=Action.STAFF_CREATED)
        self.assertEqual({e.actor for e in created}, {chain.staff_actor(self.coordinator)})
        self.assertTrue(chain.verify().ok)

    def test_it_records_what_a_reporter_changes_without_content(self):
        response = self.client.post("/en/report/", report_form_data(narrative="Seen in 2019"))
        receipt = receipt_in(response)
        report = Report.objects.get()
        self.client.post(
            "/en/receipt/", {"receipt": receipt, "action": "consent", "consent": "internal"}
        )
        self.client.post(
            "/en/receipt/", {"receipt": receipt, "action": "withdraw", "confirm": "on"}
        )
        chain.append_waiting(before=timezone.localdate() + timedelta(days=1))  # day is over
        entries = Entry.objects.filter(actor="reporter")
        self.assertEqual(
            [e.action for e in entries], [Action.CONSENT_CHANGED, Action.REPORT_WITHDRAWN]
        )
        self.assertEqual(entries[0].subjects, [report.id.hex])
        for entry in Entry.objects.all():
            self.assertNotIn("Seen in 2019", repr(entry.__dict__))
            self.assertNotIn(receipt, repr(entry.__dict__))
        self.assertTrue(chain.verify().ok)
