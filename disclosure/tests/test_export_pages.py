"""The export pages as staff use them: prepare, redact, approve, release, download; a
mistake in a form is an error on its field; a page of a case one cannot open is a 404."""

from __future__ import annotations

from django.test import Client

from disclosure import sending, services
from disclosure.models import Export, State
from intake.models import Report

from .base import ExportTestCase


class ExportPagesTestCase(ExportTestCase):
    def new_url(self) -> str:
        return f"/staff/exports/new/{self.person.id}/"

    def draft(self) -> Export:
        self.sign_in(self.alice)
        response = self.client.post(
            self.new_url(), {"template": "wgeid", "recipient": self.recipient["un"]}
        )
        self.assertEqual(response.status_code, 302, response.content[:300])
        return Export.objects.get()

    def test_it_says_what_is_missing_in_the_form_and_keeps_nothing(self):
        self.sign_in(self.alice)
        response = self.client.post(self.new_url(), {"template": "", "recipient": ""})
        self.assertContains(response, "Choose what to prepare.", status_code=400)
        self.assertContains(response, "Choose who the export is for.", status_code=400)
        response = self.client.post(self.new_url(), {"template": "all", "recipient": "x"})
        self.assertEqual(response.status_code, 400)
        # A partner from the register for the UN's template: an error on the recipient.
        response = self.client.post(
            self.new_url(), {"template": "wgeid", "recipient": self.recipient["partner"]}
        )
        self.assertContains(response, "not of the kind this template is for", status_code=400)
        self.assertFalse(Export.objects.exists())

    def test_it_refuses_on_the_template_field_what_the_consent_does_not_allow(self):
        Report.objects.filter(id=self.report.id).update(consent="partners")
        self.sign_in(self.alice)
        page = self.client.get(self.new_url())
        self.assertContains(page, "not allowed by the family")
        response = self.client.post(
            self.new_url(), {"template": "wgeid", "recipient": self.recipient["un"]}
        )
        self.assertContains(response, "consent does not allow this", status_code=400)
        self.assertFalse(Export.objects.exists())

    def test_the_case_page_lists_its_exports_and_leads_to_a_new_one(self):
        export = self.draft()
        page = self.client.get(f"/staff/reports/persons/{self.person.id}/")
        self.assertContains(page, export.public_id)
        self.assertContains(page, self.new_url())

    def test_the_author_sees_the_redacted_version_and_cannot_approve_it(self):
        export = self.draft()
        page = self.client.get(f"/staff/exports/{export.id}/")
        self.assertContains(page, "Memet Tursun")
        self.assertContains(page, "[witness&#x27;s name]")
        self.assertNotContains(page, "Approve this version")
        hash_ = services.version_hash(
            services.open_export(self.alice, self.private_key(self.alice), export.id)
        )
        response = self.client.post(f"/staff/exports/{export.id}/approve/", {"hash": hash_})
        self.assertContains(response, "cannot approve it", status_code=400)
        export.refresh_from_db()
        self.assertEqual(export.state, State.DRAFT)

    def test_redacting_a_kept_name_and_marking_words_change_the_version(self):
        export = self.draft()
        opened = services.open_export(self.alice, self.private_key(self.alice), export.id)
        before = services.version_hash(opened)
        kept = [
            p
            for f in opened.draft.fields
            for p in services.proposals(opened, f["text"])
            if not p.redacted
        ]
        self.assertTrue(kept)
        response = self.client.post(
            f"/staff/exports/{export.id}/choose/", {"key": kept[0].key, "keep": "0"}
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.post(f"/staff/exports/{export.id}/mark/", {"words": "teacher"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(f"/staff/exports/{export.id}/")
        preview = page.content.decode().split('class="export-preview"')[1].split("</div>")[0]
        self.assertNotIn("teacher", preview)
        self.assertIn("[redacted]", preview)
        opened = services.open_export(self.alice, self.private_key(self.alice), export.id)
        self.assertNotEqual(services.version_hash(opened), before)
        response = self.client.post(f"/staff/exports/{export.id}/mark/", {"words": ""})
        self.assertContains(response, "Write the word or phrase to hide.", status_code=400)
        response = self.client.post(
            f"/staff/exports/{export.id}/choose/", {"key": "name|x|nothing", "keep": "1"}
        )
        self.assertContains(response, "no longer in the draft", status_code=400)

    def test_a_reviewer_approves_and_the_author_releases_with_a_fresh_code(self):
        export = self.draft()
        alices, self.client = self.client, Client()  # Alice stays signed in meanwhile
        self.sign_in(self.rui)
        page = self.client.get(f"/staff/exports/{export.id}/")
        self.assertContains(page, "Approve this version")
        shown = page.context["hash"]
        response = self.client.post(f"/staff/exports/{export.id}/approve/", {"hash": shown})
        self.assertEqual(response.status_code, 302)
        self.client = alices
        code = self.totp_code(self.alice)
        response = self.client.post(f"/staff/exports/{export.id}/release/", {"code": code})
        self.assertEqual(response.status_code, 302, response.content[:500])
        export.refresh_from_db()
        self.assertEqual(export.state, State.RELEASED)
        pdf = self.client.get(f"/staff/exports/{export.id}/files/pdf/")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertIn(export.public_id, pdf["Content-Disposition"])
        data = self.client.get(f"/staff/exports/{export.id}/files/json/")
        self.assertIn(export.public_id.encode(), data.content)
        self.assertEqual(self.client.get(f"/staff/exports/{export.id}/files/exe/").status_code, 404)
        # The family reads it on their receipt page, in plain words, the day only.
        self.client.logout()
        status = self.client.post("/en/receipt/", {"receipt": self.receipt})
        self.assertContains(status, "was sent to a United Nations human rights body")
        self.assertContains(status, "UN WGEID")

    def test_bob_and_the_auditor_get_404_and_the_auditor_sees_the_register(self):
        export = self.draft()
        for staff in (self.bob, self.ada):
            self.client.logout()
            self.sign_in(staff)
            self.assertEqual(self.client.get(f"/staff/exports/{export.id}/").status_code, 404)
        register = self.client.get("/staff/exports/")
        self.assertContains(register, export.public_id)
        self.assertNotContains(register, "UN WGEID")
        self.assertNotContains(register, "Memet")

    def test_releasing_needs_a_fresh_code(self):
        export = self.draft()
        opened = services.open_export(self.rui, self.private_key(self.rui), export.id)
        sending.approve(self.rui, self.private_key(self.rui), opened, services.version_hash(opened))
        response = self.client.post(f"/staff/exports/{export.id}/release/", {"code": "12"})
        self.assertContains(response, "Releasing needs a fresh code", status_code=400)
        export.refresh_from_db()
        self.assertEqual(export.state, State.APPROVED)

    def test_it_warns_of_characters_the_pdf_cannot_draw(self):
        export = self.draft()
        self.client.post(f"/staff/exports/{export.id}/texts/", {"annexes": "Photo 📷 of 𠀋"})
        page = self.client.get(f"/staff/exports/{export.id}/")
        self.assertContains(page, "no font for these characters")
        self.assertContains(page, "📷")
