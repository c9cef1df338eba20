"""A request over the upload limits gets a 413 in the reporter's language: the form again with
what was typed when the body could be read, a page saying nothing was saved when it could not."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from intake import uploads
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data


class TooLargeTestCase(BaseTestCase):
    def test_it_answers_a_63_mb_request_with_413_and_keeps_the_typed_text(self):
        nine_mb = b"\xff\xd8\xff" + bytes(9 * 1024 * 1024)
        files = [SimpleUploadedFile(f"p{n}.jpg", nine_mb) for n in range(7)]
        data = report_form_data(narrative="Seen at the bazaar", attachments=files)
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "larger than 50 MB", status_code=413)
        self.assertContains(response, "Seen at the bazaar", status_code=413)
        self.assertContains(response, "choose your files again", status_code=413)
        self.assertFalse(Report.objects.exists())

    def test_it_answers_a_body_past_the_read_limit_with_a_413_page_in_russian(self):
        client = Client(enforce_csrf_checks=True)  # as every real request is checked
        token = client.get("/ru/report/").context["csrf_token"]
        body = f'--x\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}'
        response = client.generic(
            "POST",
            "/ru/report/",
            body.encode() + b"\r\n--x--\r\n",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(uploads.MAX_READ + 1),  # what the client says it will send
        )
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, 'lang="ru"', status_code=413)
        self.assertContains(response, "Ничего не сохранено", status_code=413)
        self.assertFalse(Report.objects.exists())

    def test_it_answers_more_typed_text_than_allowed_with_413(self):
        data = report_form_data(narrative="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "Nothing was saved", status_code=413)
