"""A notice ("new for you") stays unread until its staff member opens the report or
case it points to: showing the home page does not mark it read, and nobody marks
another's notice, or their own about something they cannot open."""

from __future__ import annotations

from accounts.models import Notification
from cases import persons, services
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data


class NoticesUntilOpenedTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="Notice Name"))
        self.report = Report.objects.get()
        services.assign(self.ines, self.private_key(self.ines), self.report.id, self.alice)
        self.notice = Notification.objects.get(staff=self.alice)

    def unread(self, staff) -> int:
        return Notification.objects.filter(staff=staff, read=False).count()

    def test_it_keeps_a_notice_unread_however_often_the_home_page_is_shown(self):
        self.sign_in(self.alice)
        for _ in range(2):
            page = self.client.get("/staff/")
            self.assertContains(page, "A case was assigned to you")
            self.assertContains(page, f"/staff/reports/{self.report.id}/")
        self.notice.refresh_from_db()
        self.assertFalse(self.notice.read)

    def test_it_marks_the_notice_read_when_the_report_is_opened(self):
        self.sign_in(self.alice)
        self.assertEqual(self.client.get(f"/staff/reports/{self.report.id}/").status_code, 200)
        self.notice.refresh_from_db()
        self.assertTrue(self.notice.read)
        self.assertContains(self.client.get("/staff/"), "Nothing new")

    def test_it_marks_a_notice_about_a_case_read_when_the_case_is_opened(self):
        person = persons.create_from_report(
            self.ines, self.private_key(self.ines), self.report.id, "unverified"
        )
        about_case = Notification.objects.create(
            staff=self.alice, kind=Notification.Kind.ASSIGNED, subject=person.id
        )
        self.sign_in(self.alice)
        self.client.get(f"/staff/reports/persons/{person.id}/")
        about_case.refresh_from_db()
        self.assertTrue(about_case.read)
        self.notice.refresh_from_db()
        self.assertFalse(self.notice.read)  # the report itself is not opened yet

    def test_it_leaves_alices_notice_unread_when_bob_tries_her_report(self):
        bobs = Notification.objects.create(
            staff=self.bob, kind=Notification.Kind.ASSIGNED, subject=self.report.id
        )
        self.sign_in(self.bob)
        self.assertEqual(self.client.get(f"/staff/reports/{self.report.id}/").status_code, 404)
        self.notice.refresh_from_db()
        bobs.refresh_from_db()
        self.assertFalse(self.notice.read)
        # Bob holds no key of it: his own notice stays too (he has not opened anything).
        self.assertFalse(bobs.read)
        self.assertEqual(self.unread(self.bob), 1)

    def test_it_marks_only_the_openers_notices(self):
        Notification.objects.create(
            staff=self.ines, kind=Notification.Kind.NEW_REPORT, subject=self.report.id
        )
        self.sign_in(self.alice)
        self.client.get(f"/staff/reports/{self.report.id}/")
        self.assertEqual(self.unread(self.ines), 1)  # Ines holds it too, but has not opened it
