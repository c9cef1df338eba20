"""The cases list (persons): only the persons the staff member holds a key for, names
decrypted for the page's rows only, filters checked against fixed lists, keyset pages
with a count, and one day-only audit entry per view."""

from __future__ import annotations

import datetime
from unittest import mock

from audit.models import Action, Entry, Waiting
from cases import caselist, persons, services
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named

URL = "/staff/reports/persons/"


class CaseListTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        for name in ("Alices Person", "Second Person", "Third Person"):
            self.client.post("/en/report/", report_form_data(name_1=name))
        self.ines_key = self.private_key(self.ines)
        alices_report = report_named("Alices Person", self.ines, self.ines_key)
        services.assign(self.ines, self.ines_key, alices_report.id, self.alice)
        self.alices = persons.create_from_report(
            self.ines, self.ines_key, alices_report.id, "partly"
        )
        self.others = [
            persons.create_from_report(
                self.ines,
                self.ines_key,
                report_named(name, self.ines, self.ines_key).id,
                "unverified",
            )
            for name in ("Second Person", "Third Person")
        ]
        opened = persons.open_person(self.alice, self.private_key(self.alice), self.alices.id)
        persons.record_status(
            self.alice, opened, "camp", datetime.date(2019, 4, 1), "A neighbour", "month"
        )

    def test_it_lists_alices_case_with_its_workflow_and_her_name_as_caseworker(self):
        self.sign_in(self.alice)
        page = self.client.get(URL)
        self.assertContains(page, "Alices Person")
        self.assertContains(page, f'href="/staff/reports/persons/{self.alices.id}/"')
        self.assertContains(page, "Located in a camp")
        self.assertContains(page, "Partly verified")
        self.assertContains(page, "<td>alice</td>", html=False)
        self.assertContains(page, "April 2019")
        self.assertContains(page, "1 case")
        self.assertNotContains(page, "Second Person")

    def test_it_shows_bob_none_of_alices_cases(self):
        self.sign_in(self.bob)
        page = self.client.get(URL)
        self.assertContains(page, "No cases match.")
        self.assertContains(page, "0 cases")
        self.assertNotContains(page, "Alices Person")
        self.assertNotContains(page, str(self.alices.number) + "</a>")
        # Bob cannot filter by Alice either: she is not a caseworker of anything he holds.
        page = self.client.get(URL, {"caseworker": str(self.alice.pk)})
        self.assertContains(page, "Choose a caseworker from the list", status_code=400)
        self.assertNotContains(page, "Alices Person", status_code=400)

    def test_it_filters_by_status_and_by_caseworker(self):
        self.sign_in(self.ines)
        everything = self.client.get(URL)
        self.assertContains(everything, "3 cases")
        camp = self.client.get(URL, {"status": "camp"})
        self.assertContains(camp, "Alices Person")
        self.assertNotContains(camp, "Second Person")
        missing = self.client.get(URL, {"status": "missing"})
        self.assertContains(missing, "2 cases")
        self.assertNotContains(missing, "Alices Person")
        hers = self.client.get(URL, {"caseworker": str(self.alice.pk), "status": "open"})
        self.assertContains(hers, "1 case")
        self.assertContains(hers, "Alices Person")
        self.assertContains(hers, f'<option value="{self.alice.pk}" selected>alice</option>')

    def test_it_refuses_an_unknown_filter_with_a_clear_error(self):
        self.sign_in(self.ines)
        for query, error in (
            ({"status": "'; drop table"}, "Choose a status from the list"),
            ({"caseworker": "abc"}, "Choose a caseworker from the list"),
            ({"before": "-3"}, "start again from the first page"),
        ):
            with self.subTest(query=query):
                page = self.client.get(URL, query)
                self.assertContains(page, error, status_code=400)
                self.assertNotContains(page, "Second Person", status_code=400)

    def test_it_pages_by_case_number_with_a_count_keeping_the_filters(self):
        self.sign_in(self.ines)
        with (
            mock.patch.object(caselist, "PAGE_SIZE", 2),
            mock.patch.object(caselist.persons, "name", wraps=persons.name) as decrypted,
        ):
            first = self.client.get(URL, {"status": "open"})
            self.assertEqual(decrypted.call_count, 2)  # the rows on the page, no more
            self.assertContains(first, "3 cases")
            self.assertContains(first, "page 1 of 2")
            newest = max(p.number for p in [self.alices, *self.others])
            self.assertContains(first, f"{newest}</a>")
            second_number = sorted(p.number for p in [self.alices, *self.others])[1]
            self.assertContains(first, f"?status=open&amp;before={second_number}")
            second = self.client.get(URL, {"status": "open", "before": str(second_number)})
            self.assertContains(second, "page 2 of 2")
            self.assertContains(second, "Alices Person")  # case 1, the oldest
            self.assertNotContains(second, "Next page")

    def test_it_records_one_day_only_audit_entry_per_view(self):
        self.sign_in(self.ines)
        before = Waiting.objects.filter(action=Action.CASES_LISTED).count()
        self.client.get(URL)
        listed = Waiting.objects.filter(action=Action.CASES_LISTED)
        self.assertEqual(listed.count(), before + 1)
        entry = listed.latest("id")
        self.assertEqual(
            sorted(entry.subjects), sorted(p.id.hex for p in [self.alices, *self.others])
        )
        self.assertEqual(entry.created_at.timetz().replace(tzinfo=None), datetime.time(0, 0))
        self.assertFalse(Entry.objects.filter(action=Action.CASES_LISTED).exists())
