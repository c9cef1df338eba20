from accounts.models import KeyHolder, Notification, SealedTOTPDevice
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
        response = self.client.post(self.url, {"code": self.totp_code(self.ines)})
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

    def test_the_confirmation_page_names_case_and_report_and_unlinking_needs_a_fresh_code(self):
        self.sign_in(self.ines)
        page = self.client.get(self.url)
        self.assertContains(page, f"Unlink a report from case {self.a.number}")
        day = self.wrong.received_on.strftime("%Y-%m-%d")
        self.assertContains(page, f"Report received {day}")
        self.assertContains(page, f'href="/staff/reports/{self.wrong.id}/"')
        refused = self.client.post(self.url, {"code": ""})
        self.assertContains(
            refused, "Unlinking needs a fresh code from your authenticator app", status_code=400
        )
        # Nothing changed.
        self.assertEqual(PersonReport.objects.get(report=self.wrong).person_id, self.a.id)
        self.assertTrue(ReportKey.objects.filter(report=self.wrong, holder=self.alice.holder))
        self.assertFalse(Waiting.objects.filter(action=Action.REPORT_UNLINKED).exists())
        # The refused attempt counts as a failure: no waiting for the throttle here.
        SealedTOTPDevice.objects.filter(user=self.ines).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        done = self.client.post(self.url, {"code": self.totp_code(self.ines)})
        self.assertEqual(done.status_code, 302)
        self.assertFalse(PersonReport.objects.filter(report=self.wrong).exists())

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
        self.assertEqual(self.client.get(self.url).status_code, 404)
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


class UnlinkNamesTestCase(BaseTestCase):
    """Case A opened from the wrong report (another man's), the right one linked to it,
    Alice assigned: the names shown on the case come from the reports it still has."""

    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1=RIGHT))
        self.client.post(
            "/en/report/", report_form_data(name_1=WRONG, name_2="", script_2="", birth_year="1960")
        )
        self.ines_key = self.private_key(self.ines)
        self.right = report_named(RIGHT, self.ines, self.ines_key)
        self.wrong = report_named(WRONG, self.ines, self.ines_key)
        self.a = persons.create_from_report(self.ines, self.ines_key, self.wrong.id, "unverified")
        persons.link_report(self.ines, self.ines_key, self.right.id, self.a.number)
        services.assign(self.ines, self.ines_key, self.right.id, self.alice)

    def alices_page(self):
        self.sign_in(self.alice)
        return self.client.get(f"/staff/reports/persons/{self.a.id}/")

    def test_the_case_no_longer_shows_the_unlinked_reports_name(self):
        self.assertContains(self.alices_page(), WRONG)
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        page = self.alices_page()
        self.assertNotContains(page, WRONG)
        self.assertNotContains(page, "Mehmet")
        self.assertContains(page, RIGHT)
        opened = persons.open_person(self.alice, self.private_key(self.alice), self.a.id)
        self.assertEqual(persons.name(opened)["name"], RIGHT)
        self.assertNotIn(WRONG, [other["name"] for other in persons.name(opened)["others"]])

    def test_also_written_loses_a_merged_cases_name_when_its_report_leaves(self):
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        b = persons.create_from_report(self.ines, self.ines_key, self.wrong.id, "unverified")
        merging.merge(self.ines, self.ines_key, self.a.id, b.id)
        self.assertContains(self.alices_page(), WRONG)  # "Also written", from its report
        merging.unlink(self.ines, self.ines_key, self.a.id, self.wrong.id)
        page = self.alices_page()
        self.assertNotContains(page, WRONG)
        self.assertContains(page, RIGHT)
