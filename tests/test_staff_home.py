"""The staff home counts the work waiting: new reports among those the staff member
holds, unread replies from reporters, and their own open cases, each a link into the
list it counts. Counts come from workflow fields and wrappings only; Bob counts nothing
of Alice's."""

from __future__ import annotations

import re

from django.urls import reverse

from cases import persons, services, workspace
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


def count_on(page: str, label: str) -> int:
    match = re.search(rf"<strong>(\d+)</strong> {label}</a>", page)
    assert match, f"no count {label!r} on the page"
    return int(match.group(1))


class StaffHomeCountsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="Alices Case Name"))
        self.client.post("/en/report/", report_form_data(name_1="Untouched Report"))
        self.ines_key = self.private_key(self.ines)
        self.first = report_named("Alices Case Name", self.ines, self.ines_key)
        services.assign(self.ines, self.ines_key, self.first.id, self.alice)
        self.person = persons.create_from_report(
            self.ines, self.ines_key, self.first.id, "unverified"
        )

    def home(self, staff) -> str:
        self.client.logout()  # one staff member per session
        self.sign_in(staff)
        return self.client.get("/staff/").content.decode()

    def test_it_counts_new_reports_among_those_the_intake_caseworker_holds(self):
        page = self.home(self.ines)
        self.assertEqual(count_on(page, "New reports"), 1)  # the other one was assigned
        self.assertIn(f'href="{reverse("cases:inbox")}?status=received"', page)

    def test_it_counts_the_caseworkers_own_open_cases_with_a_link_to_them(self):
        page = self.home(self.alice)
        self.assertEqual(count_on(page, "My open cases"), 1)
        self.assertEqual(count_on(page, "New reports"), 0)
        link = f"{reverse('cases:persons')}?status=open&amp;caseworker={self.alice.pk}"
        self.assertIn(f'href="{link}"', page)
        # The link leads to that very case in the cases list.
        self.assertContains(self.client.get(link.replace("&amp;", "&")), "Alices Case Name")

    def test_it_does_not_count_a_case_held_without_an_assignment(self):
        # Ines holds the person's key as the intake team, not as its caseworker.
        self.assertEqual(count_on(self.home(self.ines), "My open cases"), 0)

    def test_it_leads_someone_with_no_case_yet_to_an_empty_list_not_an_error(self):
        page = self.home(self.bob)
        link = re.search(r'href="([^"]*caseworker=[^"]*)"', page)
        assert link, "no link to my open cases"
        response = self.client.get(link.group(1).replace("&amp;", "&"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Alices Case Name")

    def test_it_counts_nothing_of_alices_for_bob(self):
        page = self.home(self.bob)
        self.assertEqual(count_on(page, "New reports"), 0)
        self.assertEqual(count_on(page, "My open cases"), 0)
        self.assertNotIn("Alices Case Name", page)

    def test_it_leaves_a_closed_case_out_of_my_open_cases(self):
        self.assertEqual(workspace.my_open_cases(self.alice).count(), 1)
        for closed in workspace.CLOSED_STATUSES:
            type(self.person).objects.filter(pk=self.person.pk).update(status=closed)
            self.assertEqual(workspace.my_open_cases(self.alice).count(), 0)

    def test_it_counts_unread_replies_until_a_holder_opens_the_report(self):
        Report.objects.filter(pk=self.first.pk).update(replied_on=self.first.received_on)
        self.assertEqual(count_on(self.home(self.bob), "Unread replies"), 0)
        page = self.home(self.alice)
        self.assertEqual(count_on(page, "Unread replies"), 1)
        self.assertIn(f'href="{reverse("cases:inbox")}?replied=1"', page)
        opened = self.client.get(reverse("cases:report", args=[self.first.id]))
        self.assertEqual(opened.status_code, 200)
        home = self.client.get("/staff/")
        self.assertEqual(home.status_code, 200, home.headers.get("Location"))
        page = home.content.decode()
        self.assertEqual(count_on(page, "Unread replies"), 0)

    def test_it_shows_an_auditor_no_counts(self):
        from accounts import services as accounts
        from accounts.models import Role
        from tests.base import PASSWORDS

        key = accounts.unlock_private_key(self.coordinator, PASSWORDS["coordinator"])
        ada = accounts.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], self.coordinator, key)
        page = self.home(ada)
        self.assertNotIn("New reports", page)
        self.assertNotIn("My open cases", page)

    def test_it_counts_in_sql_without_opening_any_report(self):
        self.sign_in(self.ines)
        with self.assertNumQueries(3):
            workspace.home_counts(self.ines)
        self.assertEqual(Report.objects.filter(status="received").count(), 1)
