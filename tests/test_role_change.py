"""Need to know after a change of role: what came with intake leaves with it, an
individually assigned case stays, the index key follows the role; one transaction,
audited. Checked with real keys: what a staff member's private key still opens."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from accounts import people, services
from accounts.models import OrganisationKey, Reason, Role, Staff
from audit import chain
from audit.models import Action, Entry
from cases import persons
from cases import services as cases
from intake.models import ReportKey
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import report_form_data, report_named

PASSWORDS.setdefault("nur", "nur-intake-pass-6q2v")


class RoleChangeTestCase(BaseTestCase):
    nur: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        coordinator_key = services.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        cls.nur = services.add_staff(
            "nur", Role.INTAKE, PASSWORDS["nur"], cls.coordinator, coordinator_key
        )

    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="Kept Case"))
        self.client.post("/en/report/", report_form_data(name_1="Other Case"))
        self.nur_key = self.private_key(self.nur)
        self.kept = report_named("Kept Case", self.nur, self.nur_key)
        self.other = report_named("Other Case", self.nur, self.nur_key)

    def change_role(self, staff, role):
        people.change_role(self.coordinator, self.private_key(self.coordinator), staff, role)

    def opens(self, staff, report) -> bool:
        try:
            cases.open_report(staff, self.private_key(staff), report.id)
        except cases.NoAccess:
            return False
        return True

    def test_it_drops_what_ines_received_as_intake_when_she_becomes_a_reviewer(self):
        self.assertTrue(self.opens(self.ines, self.other))
        self.change_role(self.ines, Role.REVIEWER)
        cases.assign(self.nur, self.nur_key, self.kept.id, self.ines)
        self.assertTrue(self.opens(self.ines, self.kept))
        self.assertFalse(self.opens(self.ines, self.other))
        self.assertEqual(list(cases.readable(self.ines)), [self.kept])
        self.assertFalse(OrganisationKey.objects.filter(holder=self.ines.holder).exists())
        chain.append_waiting(before=timezone.localdate() + timedelta(days=1))  # day-only
        revoked = Entry.objects.get(action=Action.KEY_REVOKED)
        self.assertEqual(revoked.actor, f"staff:{self.coordinator.pk}")
        self.assertEqual(revoked.subjects[0], str(self.ines.pk))
        self.assertIn(self.other.id.hex, revoked.subjects)

    def test_it_keeps_alices_assigned_case_when_she_becomes_a_reviewer(self):
        person = persons.create_from_report(self.nur, self.nur_key, self.kept.id, "partly")
        cases.assign(self.nur, self.nur_key, self.kept.id, self.alice)
        self.change_role(self.alice, Role.REVIEWER)
        self.assertTrue(self.opens(self.alice, self.kept))
        opened = persons.open_person(self.alice, self.private_key(self.alice), person.id)
        self.assertEqual(persons.name(opened)["name"], "Kept Case")
        self.assertFalse(OrganisationKey.objects.filter(holder=self.alice.holder).exists())

    def test_it_marks_existing_assignments_from_the_audit_log(self):
        cases.assign(self.nur, self.nur_key, self.kept.id, self.alice)
        ReportKey.objects.update(reason=Reason.INTAKE)  # as every row was before
        migration = importlib.import_module("intake.migrations.0007_report_key_reason")
        migration.individual_grants_from_the_audit_log(apps, None)
        alices = ReportKey.objects.get(holder=self.alice.holder)
        self.assertEqual(alices.reason, Reason.ASSIGNED)
        self.assertEqual(
            set(ReportKey.objects.exclude(pk=alices.pk).values_list("reason", flat=True)),
            {Reason.INTAKE},
        )
        self.change_role(self.alice, Role.AUDITOR)
        self.assertTrue(self.opens(self.alice, self.kept))
