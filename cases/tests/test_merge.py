import datetime
from unittest import mock

from accounts.models import Reason, SealedTOTPDevice
from audit import display
from audit.models import Action, Entry, Waiting
from cases import case_keys, merging, persons, services
from cases.models import MergedNumber, Note, Person, PersonKey, PersonReport, StatusEvent
from intake.models import ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named

FIRST, SECOND, THIRD = "Abdurehim Tursun", "Abdurahim Tursunov", "Third Person Name"


class MergeTestCase(BaseTestCase):
    """Two cases of one man: A from the first report (Alice's), B from the second."""

    def setUp(self):
        super().setUp()
        for name in (FIRST, SECOND, THIRD):
            self.client.post("/en/report/", report_form_data(name_1=name))
        self.ines_key = self.private_key(self.ines)
        self.first = report_named(FIRST, self.ines, self.ines_key)
        self.second = report_named(SECOND, self.ines, self.ines_key)
        self.third = report_named(THIRD, self.ines, self.ines_key)
        self.a = persons.create_from_report(self.ines, self.ines_key, self.first.id, "unverified")
        self.b = persons.create_from_report(self.ines, self.ines_key, self.second.id, "partly")
        services.assign(self.ines, self.ines_key, self.first.id, self.alice)
        opened_b = persons.open_person(self.ines, self.ines_key, self.b.id, record=False)
        self.event = persons.record_status(
            self.ines, opened_b, "camp", datetime.date(2019, 3, 1), "A released neighbour"
        )
        self.note = persons.add_note(self.ines, opened_b, "Cousin called from Almaty")

    def merge(self):
        return merging.merge(self.ines, self.ines_key, self.a.id, self.b.id)

    def holds_all(self, staff) -> bool:
        keys = [
            PersonKey.objects.filter(person=self.a, holder=staff.holder).exists(),
            ReportKey.objects.filter(report=self.first, holder=staff.holder).exists(),
            ReportKey.objects.filter(report=self.second, holder=staff.holder).exists(),
        ]
        return all(keys)

    def test_it_moves_reports_timeline_and_notes_which_open_under_the_survivor(self):
        self.merge()
        self.assertFalse(Person.objects.filter(id=self.b.id).exists())
        self.assertEqual(
            set(PersonReport.objects.filter(person=self.a).values_list("report_id", flat=True)),
            {self.first.id, self.second.id},
        )
        self.assertEqual(StatusEvent.objects.get(id=self.event.id).person_id, self.a.id)
        self.assertEqual(Note.objects.get(id=self.note.id).person_id, self.a.id)
        opened = persons.open_person(self.alice, self.private_key(self.alice), self.a.id)
        self.assertEqual([e.source for e in persons.timeline(opened)], ["A released neighbour"])
        self.assertEqual([n.text for n in persons.notes(opened)], ["Cousin called from Almaty"])
        name = persons.name(opened)
        self.assertEqual(name["name"], FIRST)
        self.assertIn(SECOND, [other["name"] for other in name["others"]])
        person = Person.objects.get(id=self.a.id)
        self.assertEqual((person.status, person.verification), ("camp", "partly"))
        self.assertNotIn(b"Tursunov", bytes(person.sealed_name))
        self.assertEqual(
            list(Waiting.objects.filter(action=Action.PERSON_MERGED).values_list("subjects")),
            [([self.a.id.hex, self.b.id.hex],)],
        )

    def test_every_holder_of_either_case_holds_every_key_of_both(self):
        services.assign(self.ines, self.ines_key, self.second.id, self.bob)
        self.assertFalse(self.holds_all(self.alice) or self.holds_all(self.bob))
        self.merge()
        for staff in (self.ines, self.alice, self.bob):
            self.assertTrue(self.holds_all(staff), staff.username)
        self.assertFalse(PersonKey.objects.filter(person_id=self.b.id).exists())
        # Each kept its strongest reason: Bob's assignment stays an assignment.
        self.assertEqual(
            PersonKey.objects.get(person=self.a, holder=self.bob.holder).reason, Reason.ASSIGNED
        )
        for staff in (self.alice, self.bob):
            opened = persons.open_person(staff, self.private_key(staff), self.a.id)
            self.assertEqual(len(persons.notes(opened)), 1)

    def test_the_merged_page_and_number_lead_to_the_survivor(self):
        number = self.b.number
        self.merge()
        self.sign_in(self.ines)
        self.assertRedirects(
            self.client.get(f"/staff/reports/persons/{self.b.id}/"),
            f"/staff/reports/persons/{self.a.id}/",
        )
        response = self.client.post(
            f"/staff/reports/{self.third.id}/triage/",
            {"case_number": number, "verification": "unverified"},
        )
        self.assertRedirects(
            response, f"/staff/reports/persons/{self.a.id}/", fetch_redirect_response=False
        )
        self.assertEqual(PersonReport.objects.get(report=self.third).person_id, self.a.id)

    def test_a_merged_number_is_never_given_out_again(self):
        self.merge()
        self.assertEqual(MergedNumber.objects.get().number, self.b.number)
        fresh = persons.create_from_report(self.ines, self.ines_key, self.third.id, "unverified")
        self.assertEqual(fresh.number, self.b.number + 1)

    def test_an_older_merge_follows_the_case_it_went_into(self):
        self.merge()
        c = persons.create_from_report(self.ines, self.ines_key, self.third.id, "unverified")
        merging.merge(self.ines, self.ines_key, c.id, self.a.id)
        self.assertEqual(
            set(MergedNumber.objects.values_list("number", "survivor_id")),
            {(self.a.number, c.id), (self.b.number, c.id)},
        )
        self.assertEqual(merging.survivor_of(self.b.id), c.id)

    def test_the_confirmation_page_shows_both_cases_and_merging_needs_a_fresh_code(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/persons/{self.a.id}/merge/"
        page = self.client.get(url, {"number": self.b.number})
        self.assertContains(page, f"Case {self.a.number}")
        self.assertContains(page, f"Case {self.b.number}")
        self.assertContains(page, FIRST)
        self.assertContains(page, SECOND)
        refused = self.client.post(url, {"number": self.b.number, "code": ""})
        self.assertContains(
            refused, "Merging needs a fresh code from your authenticator app", status_code=400
        )
        self.assertTrue(Person.objects.filter(id=self.b.id).exists())
        self.assertFalse(Waiting.objects.filter(action=Action.PERSON_MERGED).exists())
        # The refused attempt counts as a failure: no waiting for the throttle here.
        SealedTOTPDevice.objects.filter(user=self.ines).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        done = self.client.post(url, {"number": self.b.number, "code": self.totp_code(self.ines)})
        self.assertRedirects(
            done, f"/staff/reports/persons/{self.a.id}/", fetch_redirect_response=False
        )
        self.assertFalse(Person.objects.filter(id=self.b.id).exists())

    def test_it_refuses_a_wrong_number_with_a_clear_error(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/persons/{self.a.id}/merge/"
        self.assertContains(
            self.client.get(url, {"number": "999"}),
            "There is no case 999 that you can open.",
            status_code=400,
        )
        self.assertContains(
            self.client.get(url, {"number": self.a.number}),
            "This is the number of this case.",
            status_code=400,
        )
        self.assertContains(
            self.client.get(url, {"number": "twelve"}), "in digits", status_code=400
        )

    def test_a_failure_half_way_leaves_both_cases_as_they_were(self):
        before = bytes(StatusEvent.objects.get(id=self.event.id).sealed_source)
        keys = set(PersonKey.objects.values_list("person_id", "holder_id"))
        with mock.patch.object(case_keys, "share", side_effect=RuntimeError("disk full")):
            with self.assertRaises(RuntimeError):
                self.merge()
        self.assertTrue(Person.objects.filter(id=self.b.id).exists())
        self.assertEqual(PersonReport.objects.get(report=self.second).person_id, self.b.id)
        event = StatusEvent.objects.get(id=self.event.id)
        self.assertEqual((event.person_id, bytes(event.sealed_source)), (self.b.id, before))
        self.assertEqual(Note.objects.get(id=self.note.id).person_id, self.b.id)
        self.assertFalse(MergedNumber.objects.exists())
        self.assertEqual(set(PersonKey.objects.values_list("person_id", "holder_id")), keys)
        self.assertFalse(Waiting.objects.filter(action=Action.PERSON_MERGED).exists())
        opened = persons.open_person(self.ines, self.ines_key, self.b.id)
        self.assertEqual(persons.notes(opened)[0].text, "Cousin called from Almaty")

    def test_bob_cannot_merge_or_see_alices_case(self):
        with self.assertRaises(services.NoAccess):
            merging.merge(self.bob, self.private_key(self.bob), self.a.id, self.b.id)
        self.sign_in(self.bob)
        self.assertEqual(
            self.client.get(f"/staff/reports/persons/{self.a.id}/merge/").status_code, 404
        )

    def test_a_coordinator_who_cannot_open_a_case_gets_a_404_or_the_same_error(self):
        self.sign_in(self.coordinator)
        url = f"/staff/reports/persons/{self.a.id}/merge/"
        self.assertEqual(self.client.get(url).status_code, 404)
        # Given case A only: case B's number is refused as a case that does not exist.
        case_keys.share(
            self.ines.holder,
            self.ines_key,
            self.first.id,
            to={self.coordinator.holder_id: Reason.ASSIGNED},
        )
        response = self.client.post(url, {"number": self.b.number, "code": "000000"})
        self.assertContains(
            response, f"There is no case {self.b.number} that you can open.", status_code=400
        )
        self.assertTrue(Person.objects.filter(id=self.b.id).exists())
        self.assertFalse(Entry.objects.filter(action=Action.PERSON_MERGED).exists())

    def test_a_merged_case_leads_nowhere_for_someone_who_cannot_open_the_survivor(self):
        self.merge()
        self.sign_in(self.bob)
        self.assertEqual(self.client.get(f"/staff/reports/persons/{self.b.id}/").status_code, 404)

    def test_merging_is_one_entry_and_the_auditor_reads_both_case_numbers(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/persons/{self.a.id}/merge/"
        self.client.get(url, {"number": self.b.number})  # the confirmation: both opened
        before = set(Waiting.objects.values_list("id", flat=True))
        top = Entry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        self.client.post(url, {"number": self.b.number, "code": self.totp_code(self.ines)})
        added = list(Waiting.objects.exclude(id__in=before)) + list(
            Entry.objects.filter(sequence__gt=top)
        )
        self.assertEqual([entry.action for entry in added], [Action.PERSON_MERGED])
        row = display.rows(added)[0]
        self.assertEqual(
            [subject.text for subject in row.subjects],
            [f"case {self.a.number}", f"case {self.b.number}"],
        )
        self.assertEqual(row.action_label, "Two cases merged into one")

    def test_the_inbox_search_finds_the_survivors_reports_by_the_merged_number(self):
        number = self.b.number
        self.merge()
        self.sign_in(self.ines)
        page = self.client.get("/staff/reports/", {"q": str(number)})
        shown = {row.report.id for row in page.context["page"].rows}
        self.assertEqual(shown, {self.first.id, self.second.id})
