"""The auditor's page in words: actors by login, actions by label, subjects as the
metadata an auditor may see (a report's 8-character prefix, a person's case number),
never content; only auditors see it."""

import re

from django.utils import timezone

from audit import chain
from audit.models import Action, Entry
from audit.tests.auditor import AuditorTestCase
from cases import persons, services
from intake.models import Report
from tests.reports import report_form_data


class LogViewTestCase(AuditorTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="Hidden Name", narrative="Secret"))
        self.report = Report.objects.get()
        key = self.private_key(self.ines)
        self.person = persons.create_from_report(self.ines, key, self.report.id, "partly")
        services.open_report(self.ines, key, self.report.id)

    def test_it_shows_actors_by_login_and_actions_in_words(self):
        self.sign_in(self.ada)
        page = self.page()
        self.assertIn(">coordinator</a>", page)
        self.assertIn(">ines</a>", page)
        self.assertIn("Staff account created", page)
        self.assertIn("Case created from a report", page)
        self.assertIn("The system", page)
        self.assertNotIn(f">staff:{self.ines.pk}<", page)
        self.assertNotIn(">staff.created<", page)

    def test_it_shows_a_report_by_its_prefix_and_a_person_by_its_case_number(self):
        self.sign_in(self.ada)
        page = self.page()
        self.assertIn(f">report {self.report.id.hex[:8]}</a>", page)
        self.assertIn(f">case {self.person.number}</a>", page)
        # The full ids appear only in filter links to the log itself, never as text.
        self.assertNotIn(f">{self.report.id.hex}<", page)
        links = set(re.findall(r'href="([^"]+)"', page))
        for link in links:
            self.assertFalse(link.startswith("/staff/reports/"), link)
        self.assertIn(f"?subject={self.report.id.hex}", page)

    def test_it_shows_no_content_of_any_report(self):
        self.sign_in(self.ada)
        page = self.page()
        self.assertNotIn("Hidden Name", page)
        self.assertNotIn("Secret", page)

    def test_it_keeps_only_the_day_for_entries_that_name_a_report(self):
        self.sign_in(self.ada)
        page = self.page()
        today = timezone.localdate().isoformat()
        row = re.search(r"<tr><td>([^<]*)</td><td><a[^>]*>ines</a>\s*</td><td>Report opened", page)
        assert row is not None
        self.assertEqual(row.group(1), today)

    def test_it_shows_the_first_few_subjects_of_a_long_list_and_counts_the_rest(self):
        import uuid

        ids = [uuid.uuid4() for _ in range(50)]
        chain.record(chain.staff_actor(self.alice), Action.INBOX_VIEWED, ids)
        self.sign_in(self.ada)
        page = self.page()
        self.assertIn(f">report {ids[4].hex[:8]}</a> and 45 more", page)
        self.assertNotIn(ids[5].hex[:8], page)

    def test_it_names_a_staff_member_who_is_unknown_by_number_not_by_raw_id(self):
        chain.record("staff:999", Action.LOGIN, [999])
        self.sign_in(self.ada)
        page = self.page()
        self.assertIn("staff account #999", page)

    def test_it_offers_only_the_filter_form_and_the_verify_button(self):
        self.sign_in(self.ada)
        page = self.page()
        forms = re.findall(r'<form method="(\w+)" action="([^"]+)"', page)
        self.assertIn(("get", "/staff/audit/"), forms)
        self.assertIn(("post", "/staff/audit/verify/"), forms)
        self.assertEqual(len([f for f in forms if f[1].startswith("/staff/audit")]), 2)

    def test_a_caseworker_cannot_read_it(self):
        self.sign_in(self.alice)
        for url in ("/staff/audit/", "/staff/audit/download/"):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post("/staff/audit/verify/").status_code, 404)
        self.assertTrue(chain.verify().ok)

    def test_a_coordinator_cannot_read_it_either(self):
        self.sign_in(self.coordinator)
        self.assertEqual(self.client.get("/staff/audit/").status_code, 404)


class FarDatesTestCase(AuditorTestCase):
    def test_it_refuses_a_day_past_the_year_2999_with_a_clear_error(self):
        self.sign_in(self.ada)
        for url in ("/staff/audit/", "/staff/audit/download/"):
            with self.subTest(url=url):
                before = Entry.objects.filter(action=Action.AUDIT_DOWNLOADED).count()
                response = self.client.get(url, {"end": "9999-12-31"})
                self.assertContains(response, "between the years 2000 and 2999", status_code=400)
                downloads = Entry.objects.filter(action=Action.AUDIT_DOWNLOADED).count()
                self.assertEqual(downloads, before)  # nothing was downloaded
