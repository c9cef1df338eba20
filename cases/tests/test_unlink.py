from accounts.models import KeyHolder, Notification
from audit.models import Action, Waiting
from cases import duplicates, merging, persons, services
from cases.models import Person, PersonKey, PersonReport
from intake.models import ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named

RIGHT, WRONG = "Abdurehim Tursun", "Mehmet Yilmaz"


class UnlinkTestCase(BaseTestCase):
    """Case A (Alice's) from the right report, and a report of another man linked to it
    by mistake."""

    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1=RIGHT))
        self.client.post(
            "/en/report/", report_form_data(name_1=WRONG, name_2="", script_2="", birth_year="1960")
        )
        self.ines_key = self.private_key(self.ines)
        self.right = report_named(RIGHT, self.ines, self.ines_key)
        self.wrong = report_named(WRONG, self.ines, self.ines_key)
        self.a = persons.create_from_report(self.ines, self.ines_key, self.right.id, "unverified")
        services.assign(self.ines, self.ines_key, self.right.id, self.alice)
        persons.link_report(self.ines, self.ines_key, self.wrong.id, self.a.number)
        # A notice about the wrong report, as an assignment or a reply would leave her.
        Notification.objects.create(
            staff=self.alice, kind=Notification.Kind.REPORTER_MESSAGE, subject=self.wrong.id
        )
        self.url = f"/staff/reports/persons/{self.a.id}/reports/{self.wrong.id}/unlink/"

    def identity_names(self) -> list[str]:
        opened = persons.open_person(self.ines, self.ines_key, self.a.id, record=False)
        data = duplicates.sealed_identity(self.a.id, opened.key) or {"names": []}
        return [entry["name"] for entry in data["names"]]

    def test_it_sends_the_report_back_to_the_inbox_untriaged(self):
        self.assertIn(WRONG, self.identity_names())
        self.sign_in(self.ines)
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/staff/reports/{self.wrong.id}/", fetch_redirect_response=False
        )
        self.assertFalse(PersonReport.objects.filter(report=self.wrong).exists())
        self.assertEqual(PersonReport.objects.get(person=self.a).report_id, self.right.id)
        page = self.client.get(f"/staff/reports/{self.wrong.id}/")
        self.assertContains(page, "Create or link the person")  # the triage form again
        self.assertEqual(
            list(Waiting.objects.filter(action=Action.REPORT_UNLINKED).values_list("subjects")),
            [([self.a.id.hex, self.wrong.id.hex],)],
        )
        # The person's identity no longer has the other man's name.
        self.assertNotIn(WRONG, self.identity_names())
        self.assertIn(RIGHT, self.identity_names())

    def test_the_persons_caseworker_loses_the_report_and_intake_keeps_it(self):
        self.assertTrue(ReportKey.objects.filter(report=self.wrong, holder=self.alice.holder))
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        staff = ReportKey.objects.filter(report=self.wrong, holder__kind=KeyHolder.Kind.STAFF)
        self.assertEqual(set(staff.values_list("holder", flat=True)), {self.ines.holder_id})
        # The recovery key keeps every report, as ever.
        self.assertTrue(
            ReportKey.objects.filter(report=self.wrong, holder=self.org.recovery_holder)
        )
        # The person's keys are unchanged.
        self.assertTrue(PersonKey.objects.filter(person=self.a, holder=self.alice.holder))
        with self.assertRaises(services.NoAccess):
            services.open_report(self.alice, self.private_key(self.alice), self.wrong.id)
        # No notice about it is left for her, and hers about her own report stay.
        self.assertFalse(Notification.objects.filter(staff=self.alice, subject=self.wrong.id))
        self.assertTrue(Notification.objects.filter(staff=self.alice, subject=self.right.id))

    def test_it_refuses_the_last_report_and_says_what_to_do_instead(self):
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        self.sign_in(self.ines)
        last = f"/staff/reports/persons/{self.a.id}/reports/{self.right.id}/unlink/"
        response = self.client.post(last, follow=True)
        self.assertContains(response, "This is the only report of this case")
        self.assertContains(response, "merge it into the right case instead")
        self.assertEqual(PersonReport.objects.get(report=self.right).person_id, self.a.id)
        self.assertEqual(Waiting.objects.filter(action=Action.REPORT_UNLINKED).count(), 1)

    def test_a_report_that_is_not_the_cases_is_a_404(self):
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        self.sign_in(self.ines)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertEqual(Waiting.objects.filter(action=Action.REPORT_UNLINKED).count(), 1)

    def test_bob_cannot_unlink_or_see_alices_case(self):
        with self.assertRaises(services.NoAccess):
            merging.unlink(self.bob, self.private_key(self.bob), self.a.id, self.wrong.id)
        self.sign_in(self.bob)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertEqual(self.client.get(f"/staff/reports/persons/{self.a.id}/").status_code, 404)
        self.assertTrue(PersonReport.objects.filter(report=self.wrong).exists())

    def test_a_coordinator_without_the_case_gets_a_404(self):
        self.sign_in(self.coordinator)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Person.objects.filter(id=self.a.id).exists())
        self.assertTrue(PersonReport.objects.filter(report=self.wrong).exists())

    def test_the_person_page_offers_unlinking_only_with_two_reports(self):
        self.sign_in(self.ines)
        page = self.client.get(f"/staff/reports/persons/{self.a.id}/")
        self.assertContains(page, "Unlink: not this person", count=2)
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        page = self.client.get(f"/staff/reports/persons/{self.a.id}/")
        self.assertNotContains(page, "Unlink: not this person")
