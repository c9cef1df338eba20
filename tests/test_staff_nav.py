"""The staff navigation bar: on every signed-in staff page, with the links each role
may follow, the current page marked for screen readers, and nothing before sign-in."""

from __future__ import annotations

import re

from django.urls import NoReverseMatch, reverse

from accounts import services as accounts
from accounts.models import Role, Staff
from cases import persons
from disclosure import services as exports
from intake.models import Report
from tests import test_authorization_matrix as matrix
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import report_form_data

NAV = re.compile(r'<nav class="staff-nav" aria-label="[^"]+">(.*?)</nav>', re.S)


def statistics_url() -> str | None:
    try:
        return reverse("cases:statistics")
    except NoReverseMatch:
        return None


class StaffNavTestCase(BaseTestCase):
    rui: Staff
    ada: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        key = accounts.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        cls.rui = accounts.add_staff("rui", Role.REVIEWER, PASSWORDS["rui"], cls.coordinator, key)
        cls.ada = accounts.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], cls.coordinator, key)

    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data())
        self.report = Report.objects.get()
        self.person = persons.create_from_report(
            self.ines, self.private_key(self.ines), self.report.id, "unverified"
        )

    def nav_of(self, path: str) -> str | None:
        """The navigation of an HTML page that answers 200, or None for any other answer."""
        response = self.client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            return None
        match = NAV.search(response.content.decode())
        self.assertIsNotNone(match, f"no staff navigation on {path}")
        assert match is not None
        return match.group(1)

    def staff_pages(self) -> list[str]:
        """Every staff page answered to a GET, from the authorisation matrix."""
        export = exports.start(
            self.ines, self.private_key(self.ines), self.person.id, "wgeid", "UN WGEID"
        )
        values = {
            "report": self.report.id,
            "person": self.person.id,
            "bob": self.bob.pk,
            "export": export.id,
        }
        return [
            template.format(**values)
            for method, template, _data, _expected in matrix.MATRIX.values()
            if method == "get"
            and "{file}" not in template
            and "passkeys" not in template
            and "/login/" not in template
        ]

    def walk(self, staff: Staff) -> list[str]:
        """Sign in as `staff`, and return the navigation of each page they may see."""
        self.sign_in(staff)
        navs = [nav for path in self.staff_pages() if (nav := self.nav_of(path)) is not None]
        self.assertGreaterEqual(len(navs), 4)  # home, inbox, cases, security at least
        return navs

    def test_it_shows_an_auditor_the_audit_log_but_not_staff_nor_the_lists(self):
        # An auditor holds no report or case: lists that are always empty are left out.
        for nav in self.walk(self.ada):
            self.assertIn(reverse("audit:log"), nav)
            self.assertIn(reverse("disclosure:register"), nav)
            self.assertNotIn(reverse("staff:people"), nav)
            self.assertNotIn(reverse("cases:inbox"), nav)
            self.assertNotIn(reverse("cases:persons"), nav)
            self.assertIn(reverse("staff:security"), nav)
            self.assertIn(reverse("staff:logout"), nav)

    def test_it_shows_a_caseworker_neither_staff_nor_the_audit_log(self):
        for staff in (self.alice, self.ines, self.rui):
            with self.subTest(role=staff.role):
                for nav in self.walk(staff):
                    self.assertNotIn(reverse("audit:log"), nav)
                    self.assertNotIn(reverse("disclosure:register"), nav)
                    self.assertNotIn(reverse("staff:people"), nav)
                    self.assertIn(reverse("cases:inbox"), nav)
                    self.assertIn(reverse("staff:security"), nav)
                self.client.logout()

    def test_it_shows_a_coordinator_staff_and_statistics_when_they_exist(self):
        statistics = statistics_url()
        for nav in self.walk(self.coordinator):
            self.assertIn(reverse("staff:people"), nav)
            self.assertIn(reverse("disclosure:register"), nav)
            self.assertNotIn(reverse("audit:log"), nav)
            if statistics:
                self.assertIn(statistics, nav)
            else:
                self.assertNotIn("Statistics", nav)

    def test_it_marks_the_current_page_and_only_it(self):
        self.sign_in(self.coordinator)
        for name in ("cases:inbox", "cases:persons", "staff:people", "staff:security"):
            with self.subTest(page=name):
                nav = self.nav_of(reverse(name))
                assert nav is not None
                current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
                self.assertEqual(current, [reverse(name)])

    def test_it_shows_no_navigation_before_sign_in(self):
        page = self.client.get("/staff/login/")
        self.assertNotContains(page, 'class="staff-nav"')
        self.client.post("/staff/login/", {"username": "alice", "password": PASSWORDS["alice"]})
        self.assertNotContains(self.client.get("/staff/enrol/"), 'class="staff-nav"')

    def test_it_signs_out_with_a_post_form_with_an_action(self):
        self.sign_in(self.alice)
        nav = self.nav_of("/staff/")
        assert nav is not None
        self.assertIn(f'<form method="post" action="{reverse("staff:logout")}">', nav)
