"""One audit entry per action: a staff member's main steps (the inbox, opening a
report, a download, an assignment, triage, a message, a status and a note) each add
exactly the entry that names them, however many pages they pass through, and a page
shown again the same day (a reload, the page after an action) adds none."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from PIL import Image

from audit import chain
from audit.models import Action, Entry, Waiting
from cases import services
from cases.models import Person
from intake.models import Attachment, Report
from tests.base import BaseTestCase
from tests.reports import report_form_data


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


class OneEntryPerActionTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        data = report_form_data(name_1="Audited Person")
        data["attachments"] = [SimpleUploadedFile("photo.jpg", jpeg())]
        self.assertEqual(self.client.post("/en/report/", data).status_code, 200)
        self.client.post("/en/report/", report_form_data(name_1="Other Person"))
        self.ines_key = self.private_key(self.ines)
        self.report = self._named("Audited Person")
        self.other = self._named("Other Person")
        self.file = Attachment.objects.get(report=self.report)

    def _named(self, name: str) -> Report:
        for report in Report.objects.all():
            opened = services.open_report(self.ines, self.ines_key, report.id, record=False)
            if services.display_name(services.content(opened))[0] == name:
                return report
        raise LookupError(name)

    def added(self, step: Callable[[], Any]) -> list[tuple[str, str]]:
        """The (actor, action) pairs the step adds to the log, waiting or chained."""
        waiting_before = set(Waiting.objects.values_list("id", flat=True))
        top = Entry.objects.aggregate(top=Max("sequence"))["top"] or 0
        step()
        waiting = Waiting.objects.exclude(id__in=waiting_before)
        chained = Entry.objects.filter(sequence__gt=top)
        return sorted(
            [(w.actor, w.action) for w in waiting] + [(e.actor, e.action) for e in chained]
        )

    def me(self, staff: Any) -> str:
        return chain.staff_actor(staff)

    def test_it_records_one_entry_per_inbox_page_and_none_when_it_is_shown_again(self):
        self.sign_in(self.ines)
        first = self.added(lambda: self.client.get("/staff/reports/"))
        self.assertEqual(first, [(self.me(self.ines), Action.INBOX_VIEWED)])
        listed = Waiting.objects.get(action=Action.INBOX_VIEWED).subjects
        self.assertEqual(set(listed), {self.report.id.hex, self.other.id.hex})
        self.assertEqual(self.added(lambda: self.client.get("/staff/reports/")), [])

    def test_it_records_one_opening_per_report_and_day_whatever_the_reloads(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/{self.report.id}/"
        self.assertEqual(
            self.added(lambda: self.client.get(url)), [(self.me(self.ines), Action.REPORT_OPENED)]
        )
        self.assertEqual(self.added(lambda: self.client.get(url)), [])
        # Another report is another opening; another staff member's is theirs.
        other = f"/staff/reports/{self.other.id}/"
        self.assertEqual(
            self.added(lambda: self.client.get(other)),
            [(self.me(self.ines), Action.REPORT_OPENED)],
        )

    def test_it_records_a_download_as_one_entry_without_an_opening(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/{self.report.id}/files/{self.file.id}/"

        def download() -> None:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            b"".join(response.streaming_content)  # type: ignore[attr-defined]

        self.assertEqual(self.added(download), [(self.me(self.ines), Action.ATTACHMENT_DOWNLOADED)])
        # A download shows the file, not the report: the page after it is the day's
        # first opening, and only that.
        page = f"/staff/reports/{self.report.id}/"
        opening = self.added(lambda: self.client.get(page))
        self.assertEqual(opening, [(self.me(self.ines), Action.REPORT_OPENED)])
        self.assertEqual(self.added(download), [(self.me(self.ines), Action.ATTACHMENT_DOWNLOADED)])
        self.assertEqual(self.added(lambda: self.client.get(page)), [])

    def test_it_records_an_assignment_once_and_the_page_after_it_not_again(self):
        self.sign_in(self.ines)
        self.client.get(f"/staff/reports/{self.report.id}/")

        def assign() -> None:
            response = self.client.post(
                f"/staff/reports/{self.report.id}/assign/",
                {"caseworker": self.alice.pk, "code": self.totp_code(self.ines)},
                follow=True,
            )
            self.assertContains(response, "Assigned to alice")

        self.assertEqual(self.added(assign), [(self.me(self.ines), Action.REPORT_ASSIGNED)])

    def test_it_records_a_message_once_and_the_page_after_it_not_again(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/{self.report.id}/"
        self.client.get(url)  # the page the message is written on

        def message() -> None:
            response = self.client.post(f"{url}message/", {"text": "A question"}, follow=True)
            self.assertContains(response, "Your message was sent")

        self.assertEqual(self.added(message), [(self.me(self.ines), Action.MESSAGE_SENT)])

    def test_it_records_triage_as_one_entry_and_the_case_page_as_its_first_opening(self):
        self.sign_in(self.ines)
        self.client.get(f"/staff/reports/{self.report.id}/")
        self.client.get(f"/staff/reports/{self.other.id}/")

        def triage() -> None:
            response = self.client.post(
                f"/staff/reports/{self.report.id}/triage/",
                {"verification": "partly"},
                follow=True,
            )
            self.assertEqual(response.status_code, 200)

        # The case page it leads to shows the person: the day's first opening of it.
        self.assertEqual(
            self.added(triage),
            [
                (self.me(self.ines), Action.PERSON_CREATED),
                (self.me(self.ines), Action.PERSON_OPENED),
            ],
        )
        person = Person.objects.get()
        # Linking the other report to the case: one entry, not an opening of each.
        link = self.added(
            lambda: self.client.post(
                f"/staff/reports/{self.other.id}/triage/",
                {"case_number": person.number, "verification": "partly"},
                follow=True,
            )
        )
        self.assertEqual(link, [(self.me(self.ines), Action.PERSON_LINKED)])

    def test_it_records_a_status_and_a_note_once_each(self):
        self.sign_in(self.ines)
        self.client.post(f"/staff/reports/{self.report.id}/triage/", {"verification": "partly"})
        person = Person.objects.get()
        base = f"/staff/reports/persons/{person.id}/"
        self.client.get(base)  # the page the status and the note are written on
        status = self.added(
            lambda: self.client.post(
                f"{base}status/",
                {"status": "detained", "on_year": "2018", "on_month": "5", "source": "A call"},
                follow=True,
            )
        )
        self.assertEqual(status, [(self.me(self.ines), Action.STATUS_RECORDED)])
        note = self.added(
            lambda: self.client.post(f"{base}notes/", {"text": "Called back"}, follow=True)
        )
        self.assertEqual(note, [(self.me(self.ines), Action.NOTE_ADDED)])

    def test_bob_opening_alices_report_is_refused_and_records_nothing(self):
        services.assign(self.ines, self.ines_key, self.report.id, self.alice)
        self.sign_in(self.bob)
        url = f"/staff/reports/{self.report.id}/"
        added = self.added(lambda: self.assertEqual(self.client.get(url).status_code, 404))
        self.assertEqual(added, [])
        self.client = self.client_class()
        self.sign_in(self.alice)
        self.assertEqual(
            self.added(lambda: self.client.get(url)), [(self.me(self.alice), Action.REPORT_OPENED)]
        )

    def test_a_form_error_on_a_report_page_is_still_an_opening_when_it_is_the_first(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/{self.report.id}/message/"
        added = self.added(lambda: self.client.post(url, {"text": ""}))
        self.assertEqual(added, [(self.me(self.ines), Action.REPORT_OPENED)])
