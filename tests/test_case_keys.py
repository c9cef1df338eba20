"""A case's keys travel together: whoever holds one report of a person holds the person
and every other report of it, whether they got it by assignment, triage or linking."""

from accounts.models import Reason
from cases import persons, services
from cases.models import PersonKey
from intake.models import ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


class CaseKeysTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="First Telling"))
        self.client.post("/en/report/", report_form_data(name_1="Second Telling"))
        self.ines_key = self.private_key(self.ines)
        self.first = report_named("First Telling", self.ines, self.ines_key)
        self.second = report_named("Second Telling", self.ines, self.ines_key)

    def opens(self, staff, report=None, person=None) -> bool:
        try:
            if report is not None:
                services.open_report(staff, self.private_key(staff), report.id)
            if person is not None:
                persons.open_person(staff, self.private_key(staff), person.id)
        except services.NoAccess:
            return False
        return True

    def test_it_lets_a_caseworker_assigned_after_triage_open_the_person(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "partly")
        services.assign(self.ines, self.ines_key, self.first.id, self.alice)
        opened = persons.open_person(self.alice, self.private_key(self.alice), person.id)
        self.assertEqual(persons.name(opened)["name"], "First Telling")
        self.sign_in(self.alice)
        page = self.client.get(f"/staff/reports/persons/{person.id}/")
        self.assertContains(page, "First Telling")
        row = PersonKey.objects.get(person=person, holder=self.alice.holder)
        self.assertEqual(row.reason, Reason.ASSIGNED)

    def test_it_gives_the_holders_of_a_linked_report_the_person_and_its_reports(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "partly")
        services.assign(self.ines, self.ines_key, self.first.id, self.alice)
        services.assign(self.ines, self.ines_key, self.second.id, self.bob)
        self.assertFalse(self.opens(self.bob, person=person))
        persons.link_report(self.ines, self.ines_key, self.second.id, person.number)
        self.assertTrue(self.opens(self.bob, report=self.first, person=person))
        self.assertTrue(self.opens(self.alice, report=self.second, person=person))
        holders = set(PersonKey.objects.filter(person=person).values_list("holder", flat=True))
        for report in (self.first, self.second):
            rows = ReportKey.objects.filter(report=report)
            self.assertEqual(set(rows.values_list("holder", flat=True)), holders)

    def test_it_gives_a_later_assignee_every_key_of_the_case(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "partly")
        persons.link_report(self.ines, self.ines_key, self.second.id, person.number)
        self.assertFalse(self.opens(self.bob, report=self.first))
        services.assign(self.ines, self.ines_key, self.second.id, self.bob)
        self.assertTrue(self.opens(self.bob, report=self.first, person=person))
        self.assertTrue(self.opens(self.bob, report=self.second))
        self.assertFalse(self.opens(self.alice, report=self.first))

    def test_it_takes_the_whole_case_back_when_access_is_revoked(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.first.id, "partly")
        persons.link_report(self.ines, self.ines_key, self.second.id, person.number)
        services.assign(self.ines, self.ines_key, self.first.id, self.bob)
        services.assign(self.ines, self.ines_key, self.second.id, self.bob)
        services.revoke(self.ines, self.first.id, self.bob)
        self.assertFalse(self.opens(self.bob, report=self.first))
        self.assertFalse(self.opens(self.bob, report=self.second))
        self.assertFalse(self.opens(self.bob, person=person))
        self.assertTrue(self.opens(self.ines, report=self.second, person=person))
