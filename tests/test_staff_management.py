"""The Staff page and the staff side's forms: explicit actions, row actions that come
back to the page they came from, current roles shown, unique ids, clear errors, and a
notice for every successful action."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings

from accounts import approvals, people
from accounts import login as staff_login
from accounts.models import OrganisationKey, Proposal, Role, SealedTOTPDevice, Staff
from audit.models import Entry
from cases import persons
from cases import services as cases
from intake.models import Report, ReportKey
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import report_form_data

STAFF_TEMPLATE_DIRS = [
    "accounts/templates",
    "cases/templates",
    "audit/templates",
    "disclosure/templates",
    "templates",
]


class Page(HTMLParser):
    """What the tests need from a page: its forms (action and field names), every
    element id, and which option each select has selected."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.ids: list[str] = []
        self.selected: dict[str, str] = {}
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": []})
        elif tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            self.forms[-1]["fields"].append(a["name"])
        if tag == "select":
            self._select = a.get("id")
        elif tag == "option" and self._select and "selected" in a:
            self.selected[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def form_with(self, field: str) -> dict:
        return next(f for f in self.forms if field in f["fields"])


def final_path(response) -> str:
    return response.request["PATH_INFO"]


class PeopleTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.sign_in(self.coordinator)
        self.code = self.totp_code(self.coordinator)

    def forgive_wrong_codes(self, staff: Staff) -> None:
        # A wrong code throttles the device for a while; waiting it out is simulated.
        SealedTOTPDevice.objects.filter(user=staff).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )

    # The bug the outside review found: the Staff page re-rendered at a row's URL with
    # an add form without action, so the next add reset that row's person.
    def test_it_never_lets_an_add_after_a_failed_row_action_reset_a_colleague(self):
        alice_holder = self.alice.holder_id
        failed = self.client.post(
            f"/staff/people/{self.alice.pk}/reset/",
            {"password": "alice-new-pass-99", "code": "000000"},
            follow=True,
        )
        # Add a staff member through the form the page shows, where the browser would send it.
        add_form = Page(failed.content.decode()).form_with("username")
        target = urljoin(final_path(failed), add_form["action"] or "")
        self.forgive_wrong_codes(self.coordinator)
        self.client.post(
            target,
            {
                "username": "nur",
                "role": "intake",
                "password": "nur-first-pass-42",
                "code": self.code,
            },
        )
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).holder_id, alice_holder)
        self.assertEqual(final_path(failed), "/staff/people/")
        self.assertEqual(target, "/staff/people/")
        self.assertTrue(Proposal.objects.filter(username="nur").exists())

    def test_it_shows_a_failed_row_actions_error_on_the_people_page(self):
        response = self.client.post(
            f"/staff/people/{self.alice.pk}/role/", {"role": "auditor", "code": "000000"}
        )
        self.assertRedirects(response, "/staff/people/", fetch_redirect_response=False)
        page = self.client.get("/staff/people/")
        self.assertContains(page, "Role of alice not changed")
        self.assertContains(page, "fresh code")
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).role, Role.CASEWORKER)

    def test_it_gives_every_form_on_a_staff_page_an_explicit_action(self):
        missing = []
        for folder in STAFF_TEMPLATE_DIRS:
            for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*.html")):
                for tag in re.findall(r"<form\b[^>]*>", path.read_text()):
                    if not re.search(r'\baction="[^"]+"', tag):
                        missing.append(f"{path.relative_to(settings.BASE_DIR)}: {tag}")
        self.assertEqual(missing, [])

    def test_it_shows_each_persons_current_role(self):
        page = Page(self.client.get("/staff/people/").content.decode())
        self.assertEqual(page.selected[f"id_staff{self.alice.pk}_role"], Role.CASEWORKER)
        self.assertEqual(page.selected[f"id_staff{self.ines.pk}_role"], Role.INTAKE)

    def test_it_gives_every_element_a_unique_id(self):
        for staff in (self.bob, self.alice):
            ids = Page(self.client.get("/staff/people/").content.decode()).ids
            self.assertEqual(sorted(i for i in set(ids) if ids.count(i) > 1), [])
            # Again with one, then two pending proposals and their forms on the page.
            approvals.propose_reset(self.coordinator, staff)
        ids = Page(self.client.get("/staff/people/").content.decode()).ids
        self.assertEqual(sorted(i for i in set(ids) if ids.count(i) > 1), [])

    def test_it_moves_the_index_key_with_a_role_change(self):
        url = f"/staff/people/{self.alice.pk}/role/"
        self.client.post(url, {"role": "auditor", "code": self.code})
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).role, Role.AUDITOR)
        self.assertFalse(OrganisationKey.objects.filter(holder=self.alice.holder).exists())

    def test_it_confirms_what_each_successful_action_did(self):
        response = self.client.post(
            f"/staff/people/{self.alice.pk}/role/",
            {"role": "reviewer", "code": self.code},
            follow=True,
        )
        self.assertContains(response, "alice is now reviewer.")
        response = self.client.post(f"/staff/people/{self.bob.pk}/reset/", follow=True)
        self.assertContains(response, "Proposed: a password reset (new key) for bob.")
        self.assertContains(response, "Pending:")
        response = self.client.post(
            "/staff/people/", {"username": "nur", "role": "auditor"}, follow=True
        )
        self.assertContains(response, "Proposed: a new auditor account for nur.")
        response = self.client.post(f"/staff/people/{self.bob.pk}/deactivate/", follow=True)
        self.assertContains(response, "bob is deactivated and holds no keys any more.")

    def test_it_deactivates_at_once_and_removes_every_wrapping(self):
        self.client.post("/en/report/", report_form_data())
        report = Report.objects.get()
        cases.assign(self.ines, self.private_key(self.ines), report.id, self.alice)
        self.client.post(f"/staff/people/{self.alice.pk}/deactivate/", {"code": self.code})
        self.assertFalse(ReportKey.objects.filter(holder=self.alice.holder).exists())
        with self.assertRaises(staff_login.LoginRefused):
            staff_login.check_password("alice", PASSWORDS["alice"])

    def test_it_lets_only_a_coordinator_manage_staff(self):
        self.client.post("/staff/logout/")
        self.sign_in(self.alice)
        self.assertEqual(self.client.get("/staff/people/").status_code, 404)
        self.assertEqual(
            self.client.post(f"/staff/people/{self.bob.pk}/deactivate/").status_code, 404
        )

    def test_it_shows_the_staff_area_only_as_the_password_page_until_replaced(self):
        Staff.objects.filter(pk=self.alice.pk).update(must_change_password=True)
        self.client.post("/staff/logout/")
        self.sign_in(self.alice)
        for url in ("/staff/", "/staff/reports/", "/staff/security/"):
            self.assertRedirects(self.client.get(url), "/staff/password/")
        self.assertEqual(self.client.get("/staff/password/").status_code, 200)
        self.client.post(
            "/staff/password/",
            {
                "current": PASSWORDS["alice"],
                "new": "alice-own-choice-31",
                "again": "alice-own-choice-31",
                "code": self.totp_code(self.alice),
            },
        )
        self.assertFalse(Staff.objects.get(pk=self.alice.pk).must_change_password)
        self.assertEqual(self.client.get("/staff/").status_code, 200)


class TriageErrorsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data())
        self.report = Report.objects.get()
        self.sign_in(self.ines)
        self.url = f"/staff/reports/{self.report.id}/triage/"

    def test_it_names_a_case_number_that_does_not_exist(self):
        response = self.client.post(self.url, {"case_number": "999", "verification": "partly"})
        self.assertContains(response, "There is no case 999 that you can open", status_code=400)
        self.assertEqual(final_path(response), self.url)
        self.assertContains(response, f'action="{self.url}"', status_code=400)

    def test_it_names_a_negative_case_number(self):
        response = self.client.post(self.url, {"case_number": "-3", "verification": "partly"})
        self.assertContains(response, "Case numbers start at 1", status_code=400)

    def test_it_says_the_same_for_a_case_the_person_cannot_open(self):
        self.client.post("/en/report/", report_form_data())
        other = Report.objects.exclude(pk=self.report.pk).get()
        person = persons.create_from_report(
            self.ines, self.private_key(self.ines), other.id, "unverified"
        )
        persons.PersonKey.objects.filter(person=person, holder=self.ines.holder).delete()
        response = self.client.post(
            self.url, {"case_number": str(person.number), "verification": "partly"}
        )
        self.assertContains(
            response, f"There is no case {person.number} that you can open", status_code=400
        )

    def test_it_confirms_a_triage_and_a_message(self):
        response = self.client.post(self.url, {"verification": "partly"}, follow=True)
        self.assertContains(response, "was opened from this report.")
        response = self.client.post(
            f"/staff/reports/{self.report.id}/message/", {"text": "A question"}, follow=True
        )
        self.assertContains(response, "Your message was sent to the reporter.")
        self.assertNotContains(response, "was sent to the reporter: A question")


class NotificationsTestCase(BaseTestCase):
    def test_it_shows_an_assignment_on_the_caseworkers_home_without_content(self):
        self.client.post("/en/report/", report_form_data(name_1="Secret Name"))
        report = Report.objects.get()
        cases.assign(self.ines, self.private_key(self.ines), report.id, self.alice)
        self.sign_in(self.alice)
        page = self.client.get("/staff/")
        self.assertContains(page, "A case was assigned to you")
        self.assertContains(page, f"/staff/reports/{report.id}/")
        self.assertNotContains(page, "Secret Name")
        self.client.get(f"/staff/reports/{report.id}/")
        self.assertContains(self.client.get("/staff/"), "Nothing new")


class OverviewTestCase(BaseTestCase):
    def test_it_shows_a_coordinator_workflow_metadata_but_no_content(self):
        self.client.post(
            "/en/report/", report_form_data(name_1="Hidden Name", narrative="Hidden story")
        )
        report = Report.objects.get()
        self.sign_in(self.coordinator)
        page = self.client.get("/staff/reports/overview/")
        self.assertContains(page, str(report.id)[:8])
        self.assertContains(page, "un-confidential")
        self.assertNotContains(page, "Hidden Name")
        self.assertNotContains(page, "Hidden story")


class ResetAuditTestCase(BaseTestCase):
    def test_it_names_a_reset_as_a_reset_in_the_audit_log(self):
        people.reset_password(self.coordinator, self.alice, "alice-new-pass-99")
        entry = Entry.objects.order_by("sequence").last()
        assert entry is not None
        self.assertEqual(entry.action, "staff.password-reset")
        self.assertEqual(entry.subjects, [str(self.alice.pk)])
        self.assertFalse(Entry.objects.filter(action="key.revoked").exists())
