"""The inbox's search box: a case number or a report id prefix, among held reports."""

from __future__ import annotations

import re

from accounts import services as accounts
from cases import inbox, persons
from cases import services as cases
from cases.models import Person
from intake.models import Report
from tests.base import PASSWORDS, BaseTestCase

from .queue_data import make_report


def names(response) -> list[str]:
    return re.findall(r'dir="(?:auto|rtl)">([^<]+)</a>', response.content.decode())


class InboxSearchTestCase(BaseTestCase):
    first: Report
    second: Report
    other: Report
    case: Person
    other_case: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ines_key = accounts.unlock_private_key(cls.ines, PASSWORDS["ines"])
        cls._private_keys[cls.ines.pk] = ines_key.to_bytes()
        cls.first = make_report("First Report")
        cls.second = make_report("Second Report")
        cls.other = make_report("Other Case")
        cls.case = persons.create_from_report(cls.ines, ines_key, cls.first.id, "unverified")
        persons.link_report(cls.ines, ines_key, cls.second.id, cls.case.number)
        cls.other_case = persons.create_from_report(cls.ines, ines_key, cls.other.id, "partly")
        cases.assign(cls.ines, ines_key, cls.first.id, cls.alice)

    def search(self, text: str):
        return self.client.get("/staff/reports/", {"q": text})

    def test_it_finds_a_cases_reports_by_number_with_or_without_a_hash(self):
        self.sign_in(self.ines)
        for text in (str(self.case.number), f"#{self.case.number}", f" # {self.case.number} "):
            with self.subTest(text):
                response = self.search(text)
                self.assertEqual(sorted(names(response)), ["First Report", "Second Report"])
                self.assertContains(response, "2 reports")

    def test_it_finds_a_report_by_an_id_prefix(self):
        self.sign_in(self.ines)
        for prefix in (self.other.id.hex[:4], self.other.id.hex[:12].upper(), str(self.other.id)):
            with self.subTest(prefix):
                self.assertIn("Other Case", names(self.search(prefix)))
        self.assertEqual(names(self.search(str(self.other.id))), ["Other Case"])

    def test_it_says_clearly_when_nothing_is_found(self):
        self.sign_in(self.ines)
        response = self.search("#99999")
        self.assertEqual(names(response), [])
        self.assertContains(response, "Nothing found: no report you hold belongs to case 99999.")
        unused = next(p for p in ("0000", "ffff", "abcd") if not self.starts(p))
        response = self.search(unused)
        self.assertContains(response, f"no report you hold has an id starting with {unused}")

    def starts(self, prefix: str) -> bool:
        return any(r.id.hex.startswith(prefix) for r in (self.first, self.second, self.other))

    def test_it_searches_bob_only_among_his_own_reports(self):
        # Alice holds the first case (and so its linked report); Bob holds nothing.
        self.sign_in(self.alice)
        self.assertEqual(
            sorted(names(self.search(f"#{self.case.number}"))), ["First Report", "Second Report"]
        )
        self.assertEqual(names(self.search(f"#{self.other_case.number}")), [])
        self.client = self.client_class()
        self.sign_in(self.bob)
        response = self.search(f"#{self.case.number}")
        self.assertEqual(names(response), [])
        self.assertContains(response, "0 reports")
        self.assertContains(response, "Nothing found")
        self.assertEqual(names(self.search(self.first.id.hex[:8])), [])

    def test_it_refuses_a_name_or_a_short_prefix_and_says_how_to_search(self):
        self.sign_in(self.ines)
        for text in ("abc", "Tursun", "#0", "#12345678901", "#-3", "zz' OR 1=1 --", "0" * 40):
            with self.subTest(text):
                response = self.search(text)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'id="inbox-q-error"')
                self.assertContains(response, 'aria-describedby="inbox-q-help inbox-q-error"')

    def test_it_keeps_the_search_and_filters_in_the_form(self):
        self.sign_in(self.ines)
        response = self.client.get(
            "/staff/reports/", {"q": f"#{self.case.number}", "status": "followed"}
        )
        self.assertEqual(names(response), ["First Report"])
        self.assertContains(response, f'value="#{self.case.number}"')
        self.assertContains(response, '<option value="followed" selected>')
        self.assertContains(response, 'action="/staff/reports/"')

    def test_it_reads_digits_as_a_case_number_and_four_or_more_as_an_id_prefix_too(self):
        self.assertEqual(inbox.parse_search("#4242"), inbox.Search(number=4242))
        self.assertEqual(inbox.parse_search("42"), inbox.Search(number=42))
        self.assertEqual(inbox.parse_search("4242"), inbox.Search(number=4242, prefix="4242"))
        self.assertEqual(inbox.parse_search("ABCD-EF"), inbox.Search(prefix="abcdef"))
        self.assertEqual(inbox.parse_search("123456789012"), inbox.Search(prefix="123456789012"))
