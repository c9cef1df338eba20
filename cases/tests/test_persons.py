import datetime
from unittest import mock

from audit.models import Action, Waiting
from cases import merging, persons, services
from cases.models import Note, Person, PersonKey, PersonReport, StatusEvent
from intake.models import ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


class PersonsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="First Report Name"))
        self.client.post("/en/report/", report_form_data(name_1="Duplicate Spelling"))
        self.ines_key = self.private_key(self.ines)
        self.first = report_named("First Report Name", self.ines, self.ines_key)
        self.second = report_named("Duplicate Spelling", self.ines, self.ines_key)
        services.assign(self.ines, self.ines_key, self.first.id, self.alice)

    def triage(self, report, **data):
        self.sign_in(self.ines)
        return self.client.post(
            f"/staff/reports/{report.id}/triage/", {"verification": "partly", **data}
        )

    def test_triage_creates_a_person_readable_by_the_reports_holders(self):
        response = self.triage(self.first)
        person = Person.objects.get()
        self.assertRedirects(
            response, f"/staff/reports/persons/{person.id}/", fetch_redirect_response=False
        )
        self.assertEqual(person.number, 1)
        self.assertEqual(person.verification, "partly")
        holders = set(PersonKey.objects.filter(person=person).values_list("holder", flat=True))
        report_holders = set(
            ReportKey.objects.filter(report=self.first).values_list("holder", flat=True)
        )
        self.assertEqual(holders, report_holders)
        self.assertNotIn(b"First Report Name", bytes(person.sealed_name))
        self.assertContains(
            self.client.get(f"/staff/reports/persons/{person.id}/"), "First Report Name"
        )

    def test_triage_links_a_duplicate_by_case_number(self):
        self.triage(self.first)
        person = Person.objects.get()
        self.triage(self.second, case_number=person.number)
        self.assertEqual(
            set(person.links.values_list("report", flat=True)), {self.first.id, self.second.id}
        )
        self.assertEqual(Waiting.objects.filter(action=Action.PERSON_LINKED).count(), 1)

    def test_a_report_belongs_to_one_person_only(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        with self.assertRaises(persons.AlreadyLinked):
            persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        self.assertEqual(Person.objects.get(), person)

    def test_bob_cannot_open_alices_person(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        with self.assertRaises(services.NoAccess):
            persons.open_person(self.bob, self.private_key(self.bob), person.id)
        self.sign_in(self.bob)
        self.assertEqual(self.client.get(f"/staff/reports/persons/{person.id}/").status_code, 404)
        self.assertEqual(
            self.client.post(
                f"/staff/reports/persons/{person.id}/notes/", {"text": "x"}
            ).status_code,
            404,
        )

    def test_the_timeline_keeps_dates_and_sealed_sources(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        self.sign_in(self.alice)
        url = f"/staff/reports/persons/{person.id}/status/"
        self.client.post(
            url,
            {
                "status": "camp",
                "on_year": "2019",
                "on_month": "3",
                "on_day": "1",
                "source": "A released detainee",
            },
        )
        self.client.post(
            url,
            {
                "status": "detained",
                "on_year": "2018",
                "on_month": "5",
                "on_day": "1",
                "source": "Family call",
            },
        )
        person.refresh_from_db()
        self.assertEqual(person.status, "camp")  # the latest by date, not by entry
        event = StatusEvent.objects.get(status="camp")
        self.assertEqual(event.on, datetime.date(2019, 3, 1))
        self.assertNotIn(b"released detainee", bytes(event.sealed_source))
        page = self.client.get(f"/staff/reports/persons/{person.id}/")
        self.assertContains(page, "A released detainee")
        self.assertContains(page, "Located in a camp")

    def test_it_refuses_a_bad_date_and_keeps_the_input(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        self.sign_in(self.alice)
        response = self.client.post(
            f"/staff/reports/persons/{person.id}/status/",
            {
                "status": "camp",
                "on_year": "2019",
                "on_month": "2",
                "on_day": "30",
                "source": "kept source",
            },
        )
        self.assertContains(response, "kept source", status_code=400)
        self.assertFalse(StatusEvent.objects.exists())

    def test_notes_are_sealed(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        self.sign_in(self.alice)
        self.client.post(
            f"/staff/reports/persons/{person.id}/notes/", {"text": "Spoke to the lawyer"}
        )
        note = Note.objects.get()
        self.assertNotIn(b"lawyer", bytes(note.sealed_body))
        self.assertContains(
            self.client.get(f"/staff/reports/persons/{person.id}/"), "Spoke to the lawyer"
        )


class LinkWhileMergedTestCase(BaseTestCase):
    """A merge takes case B away between the moment a triager opens it and the link."""

    def setUp(self):
        super().setUp()
        for name in ("First Report Name", "Second Report Name", "Third Report Name"):
            self.client.post("/en/report/", report_form_data(name_1=name))
        self.ines_key = self.private_key(self.ines)
        first, second, self.third = (
            report_named(name, self.ines, self.ines_key)
            for name in ("First Report Name", "Second Report Name", "Third Report Name")
        )
        self.a = persons.create_from_report(self.ines, self.ines_key, first.id, "unverified")
        self.b = persons.create_from_report(self.ines, self.ines_key, second.id, "unverified")

    def merged_after_opening(self):
        """persons.open_person, with B merged into A right after B was opened once."""
        real, done = persons.open_person, list[bool]()

        def open_then_merge(staff, private_key, person_id, record=True):
            opened = real(staff, private_key, person_id, record=record)
            if person_id == self.b.id and not done:
                done.append(True)
                merging.merge(self.ines, self.ines_key, self.a.id, self.b.id)
            return opened

        return mock.patch.object(persons, "open_person", side_effect=open_then_merge)

    def test_it_refuses_the_link_to_a_case_merged_meanwhile(self):
        with self.merged_after_opening(), self.assertRaises(services.NoAccess):
            persons.link_report(self.ines, self.ines_key, self.third.id, self.b.number)
        self.assertFalse(Person.objects.filter(id=self.b.id).exists())
        self.assertFalse(PersonReport.objects.filter(report=self.third).exists())
        self.assertFalse(Waiting.objects.filter(action=Action.PERSON_LINKED).exists())

    def test_the_triage_form_says_no_such_case_and_the_report_stays_untriaged(self):
        self.sign_in(self.ines)
        with self.merged_after_opening():
            response = self.client.post(
                f"/staff/reports/{self.third.id}/triage/",
                {"verification": "partly", "case_number": self.b.number},
            )
        self.assertContains(
            response, f"There is no case {self.b.number} that you can open.", status_code=400
        )
        self.assertFalse(PersonReport.objects.filter(report=self.third).exists())
        # Typed again, the merged number leads to the case it is part of now.
        self.client.post(
            f"/staff/reports/{self.third.id}/triage/",
            {"verification": "partly", "case_number": self.b.number},
        )
        self.assertEqual(PersonReport.objects.get(report=self.third).person_id, self.a.id)
