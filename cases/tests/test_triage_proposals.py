"""Triage proposes the known persons a new report may be about: through the real
intake form and the real staff views, only persons the staff member can open, linked
with one audit entry naming opaque ids, and bad choices are field errors."""

from __future__ import annotations

import re

from django.utils import translation

from accounts import services as accounts
from accounts.models import Role
from audit.models import Action, Entry, Waiting
from cases import duplicate_reasons, duplicates, persons, services
from cases.models import Person, PersonReport
from intake.models import Report, ReportKey
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import report_form_data, report_named

CYRILLIC = "Абдурехим Турсун"
HANI = "阿不都热依木·吐尔逊"
OTHER = "Gulzira Bekova"


def one_name(name: str, script: str, **more) -> dict:
    return report_form_data(name_1=name, script_1=script, name_2="", script_2="", **more)


class TriageProposalsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.ines_key = self.private_key(self.ines)
        self.submit(one_name(CYRILLIC, "cyrillic", father_name="Турсун"))
        self.submit(one_name(OTHER, "latin", father_name="Bek", birth_year="1990"))
        self.first = report_named(CYRILLIC, self.ines, self.ines_key)
        self.other = report_named(OTHER, self.ines, self.ines_key)
        self.sign_in(self.ines)
        for report in (self.first, self.other):
            response = self.client.post(
                f"/staff/reports/{report.id}/triage/", {"verification": "unverified"}
            )
            self.assertEqual(response.status_code, 302)
        self.person = Person.objects.get(links__report=self.first)
        self.submit(one_name(HANI, "hani", father_name="吐尔逊"))
        self.new = report_named(HANI, self.ines, self.ines_key)

    def submit(self, data: dict) -> None:
        self.assertEqual(self.client.post("/en/report/", data).status_code, 200)

    def page(self, report=None):
        response = self.client.get(f"/staff/reports/{(report or self.new).id}/")
        self.assertEqual(response.status_code, 200)
        return response

    def proposed(self, response) -> list[str]:
        """The person ids offered for linking, in the page's order."""
        return re.findall(r'name="person" value="([0-9a-f]{32})"', response.content.decode())

    def test_it_proposes_the_person_of_a_cyrillic_report_for_one_in_chinese_characters(self):
        response = self.page()
        self.assertEqual(self.proposed(response)[:1], [self.person.id.hex])
        self.assertContains(response, f"Link to case {self.person.number}")
        self.assertContains(
            response, f'<bdi dir="auto">{CYRILLIC}</bdi> <span class="script">(Cyrillic)</span>'
        )
        self.assertContains(response, "Chinese characters compared with Cyrillic")
        self.assertContains(response, "birth year matches")

    def test_it_proposes_nothing_for_a_report_already_linked(self):
        self.assertEqual(self.proposed(self.page(self.first)), [])

    def test_it_links_by_proposal_with_one_entry_of_opaque_ids(self):
        self.page()
        response = self.client.post(
            f"/staff/reports/{self.new.id}/triage/",
            {"person": self.person.id.hex, "verification": "unverified"},
        )
        self.assertRedirects(
            response, f"/staff/reports/persons/{self.person.id}/", fetch_redirect_response=False
        )
        self.assertEqual(PersonReport.objects.get(report=self.new).person, self.person)
        entries = list(Waiting.objects.filter(action=Action.PERSON_LINKED)) + list(
            Entry.objects.filter(action=Action.PERSON_LINKED)
        )
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0].subjects, [self.person.id.hex, self.new.id.hex])
        # The new report's names are now the person's: a later report finds them too.
        opened = persons.open_person(self.ines, self.ines_key, self.person.id, record=False)
        data = duplicates.sealed_identity(self.person.id, opened.key)
        assert data is not None
        self.assertEqual([n["name"] for n in data["names"]], [CYRILLIC, HANI])

    def test_it_records_the_shown_candidates_as_openings_by_id(self):
        def openings() -> list[list[str]]:
            return [
                row.subjects
                for model in (Waiting, Entry)
                for row in model.objects.filter(action=Action.PERSON_OPENED)
            ]

        self.assertEqual(openings(), [])
        self.page()
        self.assertEqual(openings(), [[self.person.id.hex]])
        self.page()  # shown again the same day: no second entry
        self.assertEqual(openings(), [[self.person.id.hex]])

    def test_a_proposal_id_that_is_not_a_candidate_is_a_field_error(self):
        other_person = Person.objects.get(links__report=self.other)
        for value in (other_person.id.hex, "not-an-id", "0" * 32):
            response = self.client.post(
                f"/staff/reports/{self.new.id}/triage/",
                {"person": value, "verification": "unverified"},
            )
            self.assertEqual(response.status_code, 400, value)
            self.assertContains(
                response,
                "That case is not among the cases proposed for this report",
                status_code=400,
            )
        self.assertFalse(PersonReport.objects.filter(report=self.new).exists())

    def test_a_proposal_and_a_case_number_together_is_a_field_error(self):
        response = self.client.post(
            f"/staff/reports/{self.new.id}/triage/",
            {"person": self.person.id.hex, "case_number": "2", "verification": "unverified"},
        )
        self.assertContains(response, "not both", status_code=400)
        self.assertFalse(PersonReport.objects.filter(report=self.new).exists())

    def test_a_case_number_one_cannot_open_is_a_field_error(self):
        response = self.client.post(
            f"/staff/reports/{self.new.id}/triage/",
            {"person": "new", "case_number": "999", "verification": "unverified"},
        )
        self.assertContains(response, "There is no case 999 that you can open", status_code=400)

    def test_bob_never_sees_alices_person_as_a_candidate(self):
        services.assign(self.ines, self.ines_key, self.first.id, self.alice)
        services.assign(self.ines, self.ines_key, self.new.id, self.bob)
        services.assign(self.ines, self.ines_key, self.new.id, self.alice)
        for staff, expected in ((self.bob, []), (self.alice, [self.person.id])):
            key = self.private_key(staff)
            index_key = duplicates.index_key(staff.holder, key)
            assert index_key is not None
            found = duplicates.propose(staff, key, index_key, self.new.id)
            self.assertEqual([p.person_id for p in found], expected, staff.username)

    def test_a_triager_who_cannot_open_the_person_is_proposed_nothing(self):
        """An intake member added after the first report holds the new one only."""
        coordinator_key = self.private_key(self.coordinator)
        PASSWORDS["ivan"] = "ivan-intake-pass-6q1z"
        ivan = accounts.add_staff(
            "ivan", Role.INTAKE, PASSWORDS["ivan"], self.coordinator, coordinator_key
        )
        before = set(PersonReport.objects.values_list("report_id", flat=True))
        self.submit(one_name("阿不都热依木 吐尔逊", "hani"))
        later = Report.objects.exclude(id__in=before).exclude(id=self.new.id).get()
        self.assertFalse(ReportKey.objects.filter(report=self.first, holder=ivan.holder).exists())
        self.assertTrue(ReportKey.objects.filter(report=later, holder=ivan.holder).exists())
        self.assertIn(self.person.id.hex, self.proposed(self.page(later)))  # Ines holds it
        self.client = self.client_class()
        self.sign_in(ivan)
        response = self.page(later)
        self.assertEqual(self.proposed(response), [])
        self.assertNotContains(response, CYRILLIC)

    def test_staff_without_the_index_key_get_no_proposals(self):
        from accounts.models import OrganisationKey

        OrganisationKey.objects.filter(holder_id=self.ines.holder_id).delete()
        response = self.page()
        self.assertEqual(self.proposed(response), [])
        self.assertContains(response, "Create or link the person")

    def test_it_says_every_reason_in_words_and_never_shows_a_code(self):
        codes = (
            "same_given_name",
            "same_father_name",
            "same_full_name",
            "name_order_differs",
            "birth_year_same",
            "birth_year_near",
            "birth_year_differs",
            "county_same",
            "scripts:Arab:Hani",
            "something_new",
            "scripts:Arab",
        )
        said = duplicate_reasons.words(codes)
        self.assertEqual(len(said), 9)
        self.assertIn("Arabic script compared with Chinese characters", said)
        self.assertFalse([s for s in said if "_" in s or ":" in s])
        with translation.override("ru"):
            russian = duplicate_reasons.words(("birth_year_same", "scripts:Cyrl:Hani"))
        self.assertEqual(russian[0], "год рождения совпадает")
        self.assertIn("Кириллица", russian[1])
