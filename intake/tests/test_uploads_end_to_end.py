"""Hostile files sent through the public form and the return-visit form, then downloaded by
staff: nothing planted in them reaches the caseworker."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse

from intake.models import Attachment, Report
from intake.sanitise import detect
from intake.tests import hostile_files as corpus
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus.CORPUS[name](), "application/octet-stream")


class HostileUploadsTestCase(BaseTestCase):
    def download_all(self, report: Report) -> list[bytes]:
        """Every file of the report as the staff download view serves it."""
        self.sign_in(self.ines)
        files: list[bytes] = []
        for attachment in Attachment.objects.filter(report=report):
            url = f"/staff/reports/{report.id}/files/{attachment.id}/"
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            assert isinstance(response, StreamingHttpResponse)  # the file is streamed
            body = response.getvalue()
            files.append(body)
        return files

    def test_it_keeps_nothing_planted_from_the_report_form_to_the_staff_download(self):
        names = ["hostile.pdf", "hostile.docx", "hostile.xlsx", "hostile.odt", "gps.jpg"]
        kinds = ["pdf", "docx", "xlsx", "odt", "jpeg"]
        data = report_form_data(attachments=[upload(name) for name in names])
        response = self.client.post("/en/report/", data)
        self.assertEqual(response.status_code, 200, response.content[:2000])
        receipt_in(response)
        files = self.download_all(Report.objects.get())
        self.assertEqual(sorted(detect(body) for body in files), sorted(kinds))
        for body in files:
            self.assertEqual(corpus.leaks(body), [], detect(body))

    def test_it_keeps_nothing_planted_from_a_return_visit_message(self):
        response = self.client.post("/en/report/", report_form_data())
        receipt = receipt_in(response)
        self.client.post(
            "/en/receipt/",
            {
                "receipt": receipt,
                "action": "message",
                "text": "The letter from the court.",
                "attachments": [upload("hostile.pdf"), upload("author.pdf")],
            },
        )
        files = self.download_all(Report.objects.get())
        self.assertEqual(Attachment.objects.filter(message__isnull=False).count(), 2)
        self.assertEqual([detect(body) for body in files], ["pdf", "pdf"])
        for body in files:
            self.assertEqual(corpus.leaks(body), [])

    def test_it_keeps_no_field_code_link_formula_or_inline_data_up_to_the_staff_download(self):
        names = ["fields.docx", "vml.docx", "formulas.xlsx", "inline.odt"]
        data = report_form_data(attachments=[upload(name) for name in names])
        receipt_in(self.client.post("/en/report/", data))
        files = self.download_all(Report.objects.get())
        self.assertEqual(sorted(detect(body) for body in files), ["docx", "docx", "odt", "xlsx"])
        for body in files:
            self.assertEqual(corpus.leaks(body), [], detect(body))
