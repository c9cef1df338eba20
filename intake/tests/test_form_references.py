"""Help texts and error messages are tied to their fields for screen readers: every
aria-describedby, aria-labelledby, label `for` and in-page link on the public pages
points to an element that exists, and no id is used twice, on valid forms and on
forms with an error in every field."""

from __future__ import annotations

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

from intake.forms import ReportForm
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

REFERENCE_LISTS = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns")


class References(HTMLParser):
    """The ids a page defines and the ids it refers to, with where each reference is."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        for name in REFERENCE_LISTS:
            if name in attributes:
                for ref in (attributes[name] or "").split() or [""]:
                    self.references.append((tag, name, ref))
        if tag == "label" and "for" in attributes:
            self.references.append((tag, "for", attributes["for"] or ""))
        href = attributes.get("href") or ""
        if href.startswith("#"):
            self.references.append((tag, "href", href[1:]))


def parse(body: str) -> References:
    parser = References()
    parser.feed(body)
    parser.close()
    return parser


def every_field_wrong() -> dict:
    """A report whose every field (but the hidden form id) holds something refused."""
    data = {"form_id": "form-with-errors"}
    for name, field in ReportForm.base_fields.items():
        if name in ("form_id", "attachments"):
            continue
        max_length = getattr(field, "max_length", None)
        if max_length:
            data[name] = "x" * (max_length + 1)
        elif hasattr(field, "choices"):
            data[name] = "not-a-choice"
        else:
            data[name] = "not-a-number"
    return data


class FormReferencesTestCase(BaseTestCase):
    def assert_references_resolve(self, body: str, page: str) -> References:
        found = parse(body)
        duplicates = sorted({i for i in found.ids if found.ids.count(i) > 1})
        self.assertEqual(duplicates, [], f"{page}: ids used more than once")
        self.assertNotIn("", found.ids, f"{page}: an empty id")
        ids = set(found.ids)
        broken = [ref for ref in found.references if ref[2] not in ids]
        self.assertEqual(broken, [], f"{page}: references to ids that do not exist")
        return found

    def test_it_ties_help_and_errors_to_their_fields_on_a_valid_form(self):
        for url in ("/en/report/", "/ug/report/", "/en/receipt/", "/en/"):
            response = self.client.get(url)
            found = self.assert_references_resolve(response.content.decode(), url)
            if "report" in url:
                described = [ref for ref in found.references if ref[1] == "aria-describedby"]
                # Each help text, the consent group's help and the note on the UN options.
                self.assertIn(("input", "aria-describedby", "id_reporter_name_helptext"), described)
                self.assertIn(("fieldset", "aria-describedby", "id_consent_helptext"), described)
                self.assertIn(("input", "aria-describedby", "id_consent_un_note"), described)

    def test_it_ties_every_error_to_its_field_when_every_field_is_wrong(self):
        files = [
            SimpleUploadedFile(f"note-{n}.pdf", b"%PDF-1.4 small", "application/pdf")
            for n in range(7)
        ]
        response = self.client.post("/en/report/", {**every_field_wrong(), "attachments": files})
        self.assertEqual(response.status_code, 400)
        form = response.context["form"]
        visible = {name for name, field in form.fields.items() if not field.widget.is_hidden}
        self.assertEqual(visible - set(form.errors), set(), "fields without an error")
        found = self.assert_references_resolve(response.content.decode(), "report with errors")
        described = {ref[2] for ref in found.references if ref[1] == "aria-describedby"}
        for name in visible:
            self.assertIn(f"id_{name}_error", described, name)
        # The summary links every field, a radio group by its first option.
        links = {ref[2] for ref in found.references if ref[1] == "href"}
        self.assertIn("id_consent_0", links)
        self.assertIn("id_name_1", links)

    def test_it_ties_errors_on_the_receipt_and_status_pages(self):
        wrong = self.client.post("/en/receipt/", {"receipt": "12"})
        self.assertEqual(wrong.status_code, 400)
        found = self.assert_references_resolve(wrong.content.decode(), "wrong receipt")
        self.assertIn(
            ("input", "aria-describedby", "id_receipt_error"),
            found.references,
        )

        receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        status = self.client.post("/en/receipt/", {"receipt": receipt})
        self.assert_references_resolve(status.content.decode(), "status page")
        for data in (
            {"action": "message", "text": "x" * 5001},
            {"action": "consent", "consent": "not-a-choice"},
            {"action": "consent"},
            {"action": "withdraw"},
        ):
            response = self.client.post("/en/receipt/", {"receipt": receipt, **data})
            self.assertEqual(response.status_code, 400, data)
            body = response.content.decode()
            self.assertIn('class="errors"', body)
            self.assert_references_resolve(body, f"status page with {data}")

    def test_it_ties_the_receipt_pages_and_error_pages(self):
        shown = self.client.post("/en/report/", report_form_data())
        self.assert_references_resolve(shown.content.decode(), "receipt shown")
        noted = self.client.post("/en/receipt/noted/")
        self.assert_references_resolve(noted.content.decode(), "receipt noted")
        missing = self.client.get("/en/no-such-page/")
        self.assert_references_resolve(missing.content.decode(), "404")
