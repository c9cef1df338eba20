import io
from unittest import mock

from django.core.management import CommandError, call_command

from accounts.models import OrganisationKey
from audit.models import Waiting
from cases import services
from intake.models import Report, ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data


def run_recover(shares, username):
    stdin = io.StringIO("\n".join(shares) + "\n\n")
    out = io.StringIO()
    with mock.patch("sys.stdin", stdin):
        call_command("recover", "--grant-to", username, stdout=out)
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
