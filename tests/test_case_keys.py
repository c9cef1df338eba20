"""A case's keys travel together: whoever holds one report of a person holds the person
and every other report of it, whether they got it by assignment, triage or linking."""

import threading
import unittest

from django.core.cache import cache
from django.db import connection, transaction
from django.test import TransactionTestCase

from accounts import services as accounts
from accounts.models import Reason, Role
from cases import case_keys, persons, services
from cases.models import PersonKey, PersonReport
from intake.models import ReportKey
from tests.base import PASSWORDS, BaseTestCase
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


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class CaseKeysConcurrencyTestCase(TransactionTestCase):
    """An assignment made while a link to the same person is being written waits for it
    (the person's row is locked) and then gives the whole, linked case."""

    def test_it_gives_an_assignment_racing_a_link_the_linked_report(self):
        cache.clear()
        result = accounts.bootstrap("Test org", "coordinator", PASSWORDS["coordinator"])
        coordinator_key = accounts.unlock_private_key(result.coordinator, PASSWORDS["coordinator"])
        ines, alice = (
            accounts.add_staff(name, role, PASSWORDS[name], result.coordinator, coordinator_key)
            for name, role in (("ines", Role.INTAKE), ("alice", Role.CASEWORKER))
        )
        for name in ("First Telling", "Second Telling"):
            self.client.post("/en/report/", report_form_data(name_1=name))
        ines_key = accounts.unlock_private_key(ines, PASSWORDS["ines"])
        first = report_named("First Telling", ines, ines_key)
        second = report_named("Second Telling", ines, ines_key)
        person = persons.create_from_report(ines, ines_key, first.id, "partly")
        linked, release = threading.Event(), threading.Event()

        def link():
            # What persons.link_report writes, held open (without its audit entry, whose
            # lock on the log's head would hold the assignment back by itself).
            try:
                with transaction.atomic():
                    case_keys.lock(second.id)
                    PersonReport.objects.create(person=person, report=second)
                    case_keys.share(ines.holder, ines_key, second.id)
                    linked.set()
                    release.wait(10)  # the assignment starts while this is not committed
            finally:
                connection.close()

        def assign():
            try:
                services.assign(ines, ines_key, first.id, alice)
            finally:
                connection.close()

        linker = threading.Thread(target=link)
        linker.start()
        self.assertTrue(linked.wait(30))
        assigner = threading.Thread(target=assign)
        assigner.start()
        assigner.join(1)
        self.assertTrue(assigner.is_alive())  # waiting for the person's row
        release.set()
        linker.join(30)
        assigner.join(30)
        alice_key = accounts.unlock_private_key(alice, PASSWORDS["alice"])
        services.open_report(alice, alice_key, second.id)
        persons.open_person(alice, alice_key, person.id)
