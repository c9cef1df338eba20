import io
from unittest import mock

from django.core.management import CommandError, call_command

from accounts.models import OrganisationKey, Reason
from audit.models import Waiting
from cases import persons, services
from cases.models import PersonKey
from intake.models import Report, ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


def run_recover(shares, username, *args):
    stdin = io.StringIO("\n".join(shares) + "\n\n")
    out = io.StringIO()
    with mock.patch("sys.stdin", stdin):
        call_command("recover", "--grant-to", username, *args, stdout=out)
    return out.getvalue()


class RecoverTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data())
        self.report = Report.objects.get()

    def test_three_shares_give_a_caseworker_access(self):
        self.assertFalse(ReportKey.objects.filter(holder=self.bob.holder).exists())
        output = run_recover(self.shares[1:4], "bob")
        self.assertIn("Granted 1 report", output)
        opened = services.open_report(self.bob, self.private_key(self.bob), self.report.id)
        self.assertEqual(len(opened.dek), 32)
        self.assertTrue(OrganisationKey.objects.filter(holder=self.bob.holder).exists())
        self.assertTrue(Waiting.objects.filter(actor="recovery", action="key.granted").exists())

    def test_two_shares_are_not_enough(self):
        with self.assertRaisesMessage(CommandError, "cannot be combined"):
            run_recover(self.shares[:2], "bob")
        self.assertFalse(ReportKey.objects.filter(holder=self.bob.holder).exists())

    def test_it_refuses_an_unknown_staff_member(self):
        with self.assertRaisesMessage(CommandError, "No active staff member"):
            run_recover(self.shares[:3], "nobody")

    def test_it_grants_a_named_reports_whole_case_and_nothing_else(self):
        self.client.post("/en/report/", report_form_data(name_1="Second Case"))
        ines_key = self.private_key(self.ines)
        second = report_named("Second Case", self.ines, ines_key)
        first_person = persons.create_from_report(self.ines, ines_key, self.report.id, "partly")
        persons.create_from_report(self.ines, ines_key, second.id, "partly")
        output = run_recover(self.shares[:3], "bob", "--reports", str(self.report.id))
        self.assertIn("Granted 1 report", output)
        bob_key = self.private_key(self.bob)
        services.open_report(self.bob, bob_key, self.report.id)
        persons.open_person(self.bob, bob_key, first_person.id)
        self.assertEqual(
            set(PersonKey.objects.filter(holder=self.bob.holder).values_list("person", flat=True)),
            {first_person.id},
        )
        self.assertEqual(ReportKey.objects.get(holder=self.bob.holder).reason, Reason.ASSIGNED)
        self.assertTrue(OrganisationKey.objects.filter(holder=self.bob.holder).exists())
