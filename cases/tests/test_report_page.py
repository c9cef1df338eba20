"""The report page a caseworker reads: words, not keys, codes or dicts; the WGEID
elements; the thread newest last; and image attachments previewed inline through a
view with the download's access rule, strict headers and one audit entry."""

import io
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from audit.models import Action, Waiting
from cases import services
from intake import returns
from intake.models import Attachment, Message
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named

FIXTURES = Path(__file__).resolve().parents[2] / "intake" / "tests" / "fixtures"


class ReportPageTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.photo = (FIXTURES / "photo_gps.jpg").read_bytes()
        data = report_form_data(name_1="Alice Case", narrative="", birth_month="", gone_day="")
        data["attachments"] = [
            SimpleUploadedFile("photo.jpg", self.photo),
            SimpleUploadedFile("letter.docx", (FIXTURES / "author.docx").read_bytes()),
        ]
        self.assertEqual(self.client.post("/en/report/", data).status_code, 200)
        data = report_form_data(name_1="Bob Case")
        data["attachments"] = [SimpleUploadedFile("bob.jpg", self.photo)]
        self.assertEqual(self.client.post("/en/report/", data).status_code, 200)
        ines_key = self.private_key(self.ines)
        self.report_a = report_named("Alice Case", self.ines, ines_key)
        self.report_b = report_named("Bob Case", self.ines, ines_key)
        services.assign(self.ines, ines_key, self.report_a.id, self.alice)
        services.assign(self.ines, ines_key, self.report_b.id, self.bob)
        files = Attachment.objects.filter(report=self.report_a)
        opened = services.open_report(self.ines, ines_key, self.report_a.id)
        kinds = {f.id: f.kind for f in services.files(opened)}
        self.image_a = next(f for f in files if kinds[f.id] == "jpeg")
        self.docx_a = next(f for f in files if kinds[f.id] == "docx")
        self.image_b = Attachment.objects.get(report=self.report_b)
        self.url_a = f"/staff/reports/{self.report_a.id}/"

    def preview_url(self, report, attachment) -> str:
        return f"/staff/reports/{report.id}/files/{attachment.id}/preview/"

    def test_it_shows_words_and_no_raw_keys_codes_or_dicts(self):
        self.sign_in(self.alice)
        page = self.client.get(self.url_a)
        html = page.content.decode()
        for words in (
            "Father&#x27;s name",
            "Tursun",
            "Taken to a camp",
            "Police or state security",
            "Brother or sister",
            "Uyghur (Arabic script)",
            "Latin letters",
            "April 2018",
            "1984",
            "Being followed by a caseworker",
            "English",
            "Kashgar prefecture",
            "Share it with UN human rights mechanisms",
        ):
            self.assertIn(words, html)
        for raw in ("father_name", "what_happened", "steps_taken", "precision", "&#x27;year"):
            self.assertNotIn(raw, html)
        for code in ("camp", "police", "sibling", "male", "uyghur", "latin", "ug-arab"):
            self.assertIsNone(re.search(rf">\s*{re.escape(code)}\s*<", html), code)
        self.assertNotIn("un-confidential", html)

    def test_it_marks_the_wgeid_elements_present_or_missing(self):
        data = report_form_data(
            name_1="Thin Case", steps_taken="nothing yet", responsible="unknown"
        )
        self.assertEqual(self.client.post("/en/report/", data).status_code, 200)
        ines_key = self.private_key(self.ines)
        thin = report_named("Thin Case", self.ines, ines_key)
        self.sign_in(self.ines)
        html = self.client.get(f"/staff/reports/{thin.id}/").content.decode()
        elements = re.findall(r'<li class="(present|missing)"><span class="mark">', html)
        self.assertEqual(elements, ["present"] * 3 + ["missing"] + ["present"] * 2)
        self.assertIn("The reporter does not know.", html)

    def test_it_leaves_empty_fields_out(self):
        self.sign_in(self.alice)
        html = self.client.get(self.url_a).content.decode()
        self.assertNotIn("Mother&#x27;s name", html)
        self.assertNotIn("Witnesses", html)
        self.assertNotIn("What happened, in the reporter&#x27;s words", html)

    def test_it_shows_the_thread_newest_last_with_who_wrote_and_the_day(self):
        opened = services.open_report(self.alice, self.private_key(self.alice), self.report_a.id)
        returns.add_message(opened, Message.Sender.REPORTER, "First, from the family", [])
        services.ask_reporter(self.alice, opened, "Second, a question from us")
        self.sign_in(self.alice)
        html = self.client.get(self.url_a).content.decode()
        first, second = html.index("First, from the family"), html.index("Second, a question")
        self.assertLess(first, second)
        metas = re.findall(r'<p class="meta">([^<]*)</p>', html)
        self.assertEqual(len(metas), 2)
        self.assertTrue(metas[0].startswith("The reporter · "), metas)
        self.assertTrue(metas[1].startswith("Staff · "), metas)

    def test_it_shows_an_image_inline_and_keeps_every_download(self):
        self.sign_in(self.alice)
        page = self.client.get(self.url_a)
        html = page.content.decode()
        self.assertIn(f'src="{self.preview_url(self.report_a, self.image_a)}"', html)
        self.assertRegex(html, r'<img class="preview" src="[^"]+" alt="Photo sent with the report')
        self.assertNotIn(self.preview_url(self.report_a, self.docx_a), html)
        self.assertIn("no preview; download to open", html)
        for f in (self.image_a, self.docx_a):
            self.assertIn(f"/staff/reports/{self.report_a.id}/files/{f.id}/", html)
        self.assertIn("img-src 'self'", page["Content-Security-Policy"])

    def test_it_serves_the_re_encoded_image_inline_with_strict_headers(self):
        self.sign_in(self.alice)
        response = self.client.get(self.preview_url(self.report_a, self.image_a))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "sandbox; default-src 'none'")
        self.assertEqual(response["Content-Disposition"], "inline")
        self.assertIn("no-store", response["Cache-Control"])
        body = response.getvalue()
        # A real photo, re-encoded at intake: the same picture turned upright by its
        # orientation tag, without its metadata (the GPS position among it).
        self.assertIn(b"Exif", self.photo)
        self.assertNotIn(b"Exif", body)
        width, height = Image.open(io.BytesIO(self.photo)).size
        self.assertEqual(Image.open(io.BytesIO(body)).size, (height, width))

    def test_it_records_a_preview_once_a_day_as_a_preview(self):
        self.sign_in(self.alice)
        before = set(Waiting.objects.values_list("id", flat=True))
        for _view in range(3):  # the report page shows the photo on every view
            self.client.get(self.preview_url(self.report_a, self.image_a)).getvalue()
        new = Waiting.objects.exclude(id__in=before)
        self.assertEqual(
            list(new.values_list("actor", "action", "subjects")),
            [
                (
                    f"staff:{self.alice.pk}",
                    Action.ATTACHMENT_PREVIEWED,
                    [self.report_a.id.hex, self.image_a.id.hex],
                )
            ],
        )

    def test_it_still_records_the_opening_after_a_preview(self):
        # A preview fetched on its own does not stand in for reading the report.
        self.sign_in(self.alice)
        self.client.get(self.preview_url(self.report_a, self.image_a)).getvalue()
        before = set(Waiting.objects.values_list("id", flat=True))
        self.assertEqual(self.client.get(f"/staff/reports/{self.report_a.id}/").status_code, 200)
        new = Waiting.objects.exclude(id__in=before).values_list("action", flat=True)
        self.assertEqual(list(new), [Action.REPORT_OPENED])

    def test_it_refuses_a_preview_of_a_file_that_is_not_an_image(self):
        self.sign_in(self.alice)
        before = Waiting.objects.count()
        response = self.client.get(self.preview_url(self.report_a, self.docx_a))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Waiting.objects.count(), before)

    def test_bob_without_a_wrapping_gets_404_for_alices_preview(self):
        self.sign_in(self.bob)
        for url in (
            self.preview_url(self.report_a, self.image_a),
            # Bob's own report with Alice's file: the file must belong to the report.
            self.preview_url(self.report_b, self.image_a),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(
            self.client.get(self.preview_url(self.report_b, self.image_b)).status_code, 200
        )
