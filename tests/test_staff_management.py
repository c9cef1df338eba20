from accounts import login as staff_login
from accounts.models import OrganisationKey, Role, SealedTOTPDevice, Staff
from audit.models import Entry
from cases import services as cases
from intake.models import Report, ReportKey
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import report_form_data


class PeopleTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.sign_in(self.coordinator)
        self.code = self.totp_code(self.coordinator)

    def test_a_coordinator_adds_staff_after_a_fresh_code(self):
        data = {"username": "nur", "role": "intake", "password": "nur-first-pass-123"}
        self.assertEqual(
            self.client.post("/staff/people/", {**data, "code": "000000"}).status_code, 400
        )
        self.assertFalse(Staff.objects.filter(username="nur").exists())
        SealedTOTPDevice.objects.filter(user=self.coordinator).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        self.assertRedirects(
            self.client.post("/staff/people/", {**data, "code": self.code}), "/staff/people/"
        )
        nur = Staff.objects.get(username="nur")
        self.assertTrue(OrganisationKey.objects.filter(holder=nur.holder).exists())

    def test_a_weak_first_password_is_refused_with_its_reason(self):
        data = {"username": "nur", "role": "intake", "password": "123456789012", "code": self.code}
        response = self.client.post("/staff/people/", data)
        self.assertContains(response, "entirely numeric", status_code=400)

    def test_a_role_change_moves_the_index_key(self):
        url = f"/staff/people/{self.alice.pk}/role/"
        self.client.post(url, {"role": "auditor", "code": self.code})
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).role, Role.AUDITOR)
        self.assertFalse(OrganisationKey.objects.filter(holder=self.alice.holder).exists())
        self.client.post(url, {"role": "caseworker"})  # still within the step-up window
        self.assertTrue(OrganisationKey.objects.filter(holder=self.alice.holder).exists())

    def test_deactivating_removes_every_wrapping_and_ends_sign_in(self):
        self.client.post("/en/report/", report_form_data())
        report = Report.objects.get()
        cases.assign(self.ines, self.private_key(self.ines), report.id, self.alice)
        self.client.post(f"/staff/people/{self.alice.pk}/deactivate/", {"code": self.code})
        self.assertFalse(ReportKey.objects.filter(holder=self.alice.holder).exists())
        with self.assertRaises(staff_login.LoginRefused):
            staff_login.check_password("alice", "alice-pass-7d2m-xq")

    def test_a_reset_gives_a_new_key_and_drops_the_old_access(self):
        self.client.post("/en/report/", report_form_data())
        report = Report.objects.get()
        cases.assign(self.ines, self.private_key(self.ines), report.id, self.alice)
        old_holder = self.alice.holder_id
        self.client.post(
            f"/staff/people/{self.alice.pk}/reset/",
            {"password": "alice-new-pass-99", "code": self.code},
        )
        alice = Staff.objects.get(pk=self.alice.pk)
        self.assertNotEqual(alice.holder_id, old_holder)
        self.assertFalse(ReportKey.objects.filter(holder_id=old_holder).exists())
        self.assertFalse(SealedTOTPDevice.objects.filter(user=alice).exists())
        _staff, key = staff_login.check_password("alice", "alice-new-pass-99")
        self.assertEqual(key.public_key(), alice.holder.public)

    def test_it_names_a_reset_as_a_reset_in_the_audit_log(self):
        self.client.post(
            f"/staff/people/{self.alice.pk}/reset/",
            {"password": "alice-new-pass-99", "code": self.code},
        )
        entry = Entry.objects.order_by("sequence").last()
        assert entry is not None  # the reset is audited
        self.assertEqual(entry.action, "staff.password-reset")
        self.assertEqual(entry.subjects, [str(self.alice.pk)])
        self.assertFalse(Entry.objects.filter(action="key.revoked").exists())

    def test_only_a_coordinator_manages_staff(self):
        self.client.post("/staff/logout/")
        self.sign_in(self.alice)
        self.assertEqual(self.client.get("/staff/people/").status_code, 404)
        self.assertEqual(
            self.client.post(f"/staff/people/{self.bob.pk}/deactivate/").status_code, 404
        )

    # A password a coordinator chose is replaced before anything else.
    def test_a_new_member_and_a_reset_must_choose_their_own(self):
        self.client.post(
            "/staff/people/",
            {
                "username": "nur",
                "role": "intake",
                "password": "nur-first-pass-42",
                "code": self.code,
            },
        )
        self.assertTrue(Staff.objects.get(username="nur").must_change_password)
        self.client.post(
            f"/staff/people/{self.alice.pk}/reset/", {"password": "alice-new-pass-99", "code": ""}
        )
        self.assertTrue(Staff.objects.get(pk=self.alice.pk).must_change_password)

    def test_the_staff_area_shows_only_the_password_page_until_then(self):
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


class NotificationsTestCase(BaseTestCase):
    def test_an_assignment_shows_on_the_caseworkers_home_without_content(self):
        self.client.post("/en/report/", report_form_data(name_1="Secret Name"))
        report = Report.objects.get()
        cases.assign(self.ines, self.private_key(self.ines), report.id, self.alice)
        self.sign_in(self.alice)
        page = self.client.get("/staff/")
        self.assertContains(page, "A case was assigned to you")
        self.assertContains(page, f"/staff/reports/{report.id}/")
        self.assertNotContains(page, "Secret Name")
        self.assertContains(self.client.get("/staff/"), "Nothing new")


class OverviewTestCase(BaseTestCase):
    def test_a_coordinator_sees_workflow_metadata_but_no_content(self):
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
