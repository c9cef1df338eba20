"""An outside review's attacks on exports, kept as tests: each names a way a forbidden
name, the family's account or a bypass could get out, and shows that it does not."""

from __future__ import annotations

import json
import unicodedata

from django.test import Client

from disclosure import recipients, sending, services
from disclosure.models import Export, State
from disclosure.tests import base
from disclosure.tests.base import ExportTestCase

NFD_REPORTER = unicodedata.normalize("NFD", "Gülnar Hésen")
NFD_WITNESS = unicodedata.normalize("NFD", "Abdukérim Rozi")


class Steps(ExportTestCase):
    """The export steps the attacks take, as Alice (the author) and Rui (the reviewer)."""

    def draft(self, template: str = "wgeid", recipient: str | None = None) -> Export:
        kind = {"wgeid": "un", "partner": "partner", "public": "public"}[template]
        chosen = self.recipient[kind]
        if recipient is not None:  # a new entry of the register, as a coordinator adds it
            key = self.private_key(self.coordinator)
            chosen = recipients.add(self.coordinator, key, kind, recipient).id
        self.sign_in(self.alice)
        response = self.client.post(
            f"/staff/exports/new/{self.person.id}/", {"template": template, "recipient": chosen}
        )
        assert response.status_code == 302, response.content[:500]
        return Export.objects.latest("created_on")

    def edit(self, export: Export, extra: str) -> None:
        opened = services.open_export(self.alice, self.private_key(self.alice), export.id)
        texts = {f["key"]: f["text"] for f in opened.draft.fields}
        key = opened.draft.fields[-1]["key"]
        texts[key] = texts[key] + "\n" + extra
        response = self.client.post(f"/staff/exports/{export.id}/texts/", texts)
        assert response.status_code == 302, response.content[:800]

    def approve_and_release(self, export: Export) -> tuple[bytes, bytes]:
        alices, self.client = self.client, Client()
        self.sign_in(self.rui)
        page = self.client.get(f"/staff/exports/{export.id}/")
        response = self.client.post(
            f"/staff/exports/{export.id}/approve/", {"hash": page.context["hash"]}
        )
        assert response.status_code == 302, response.content[:500]
        self.client = alices
        response = self.client.post(
            f"/staff/exports/{export.id}/release/", {"code": self.totp_code(self.alice)}
        )
        if response.status_code == 409:  # the leak check blocked it: held
            return b"", b"{}"
        assert response.status_code == 302, response.content[:3000].decode(errors="replace")
        export.refresh_from_db()
        assert export.state == State.RELEASED
        pdf = self.client.get(f"/staff/exports/{export.id}/files/pdf/").content
        data = self.client.get(f"/staff/exports/{export.id}/files/json/").content
        return pdf, data


class AttackTestCase(Steps):
    def test_it_proposes_the_reporters_name_in_decomposed_unicode(self):
        export = self.draft()
        self.edit(export, f"Our cousin {NFD_REPORTER} and {NFD_WITNESS} were there.")
        page = self.client.get(f"/staff/exports/{export.id}/")
        preview = page.context["document"].sections[-1].text
        self.assertNotIn(unicodedata.normalize("NFD", "Gülnar"), preview)
        self.assertNotIn(unicodedata.normalize("NFD", "Abdukérim"), preview)

    def test_it_never_releases_the_witness_in_traditional_chinese_or_split(self):
        export = self.draft()
        self.edit(export, "古麗娜爾 told us. Abdu-kerim Ro-zi saw it. Gul-\nnar Hes-\nen too.")
        _pdf, data = self.approve_and_release(export)
        text = json.dumps(json.loads(data), ensure_ascii=False)
        for leaked in ("古麗娜爾", "Abdu-kerim", "Gul-\\nnar"):
            self.assertNotIn(leaked, text)

    def test_it_redacts_every_marked_word_after_a_sharp_s_or_dotted_capital_i(self):
        export = self.draft()
        self.edit(export, "Straße İİİİ Kashgar secret-word")
        self.client.post(f"/staff/exports/{export.id}/mark/", {"words": "secret-word"})
        opened = services.open_export(self.alice, self.private_key(self.alice), export.id)
        final = services.final_document(opened)
        self.assertNotIn("secre", final.sections[-1].text)

    def test_only_holders_reach_any_export_url(self):
        export = self.draft()
        base = f"/staff/exports/{export.id}/"
        urls = [
            "",
            "texts/",
            "choose/",
            "mark/",
            "approve/",
            "release/",
            "files/pdf/",
            "files/json/",
        ]
        for staff in (self.bob, self.ada, self.coordinator, None):
            client = Client()
            if staff is not None:
                self.client = client
                self.sign_in(staff)
            for url in urls:
                for method in ("get", "post"):
                    response = getattr(client, method)(base + url, {"hash": "x", "key": "x"})
                    self.assertIn(
                        response.status_code,
                        (302, 403, 404, 405),
                        f"{staff} {method} {url} -> {response.status_code}",
                    )
                    if staff is not None:
                        self.assertNotIn(b"Memet", response.content, f"{staff} {url}")
        new = Client()
        self.client = new
        self.sign_in(self.bob)
        response = new.post(
            f"/staff/exports/new/{self.person.id}/", {"template": "wgeid", "recipient": "x"}
        )
        self.assertIn(response.status_code, (403, 404))

    def test_the_reviewer_cannot_edit_and_csrf_is_enforced(self):
        export = self.draft()
        csrf = Client(enforce_csrf_checks=True)
        csrf.cookies = self.client.cookies
        response = csrf.post(f"/staff/exports/{export.id}/mark/", {"words": "teacher"})
        self.assertEqual(response.status_code, 403)
        self.client = Client()
        self.sign_in(self.rui)
        for url, data in (("texts/", {}), ("mark/", {"words": "x"})):
            response = self.client.post(f"/staff/exports/{export.id}/{url}", data)
            self.assertIn(response.status_code, (400, 403, 404), url)

    def test_bad_bytes_and_huge_input_are_clear_errors(self):
        export = self.draft()
        body = b"words=%ED%A0%80%FF%FEabc"
        response = self.client.generic(
            "POST",
            f"/staff/exports/{export.id}/mark/",
            body,
            content_type="application/x-www-form-urlencoded",
        )
        self.assertIn(response.status_code, (302, 400))
        response = self.client.generic(
            "POST",
            f"/staff/exports/new/{self.person.id}/",
            b"template=wgeid&recipient=%ED%A0%80%FF",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertIn(response.status_code, (302, 400))
        response = self.client.post(
            f"/staff/exports/new/{self.person.id}/", {"template": "wgeid", "recipient": "x" * 201}
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            f"/staff/exports/new/{self.person.id}/", {"template": "wgeid", "recipient": "a\x00b"}
        )
        self.assertEqual(response.status_code, 400)
        opened = services.open_export(self.alice, self.private_key(self.alice), export.id)
        texts = {f["key"]: "x" * 20_001 for f in opened.draft.fields}
        response = self.client.post(f"/staff/exports/{export.id}/texts/", texts)
        self.assertEqual(response.status_code, 400)

    def test_narrowed_consent_blocks_and_a_stale_save_cannot_unblock(self):
        export = self.draft()
        stale = services.open_export(self.alice, self.private_key(self.alice), export.id)
        family = Client()
        response = family.post(
            "/en/receipt/", {"receipt": self.receipt, "action": "consent", "consent": "internal"}
        )
        self.assertEqual(response.status_code, 200)
        export.refresh_from_db()
        self.assertEqual(export.state, State.BLOCKED)
        try:
            services.save_texts(self.alice, stale, {})
        except services.NotAllowed:
            pass
        export.refresh_from_db()
        self.assertEqual(export.state, State.BLOCKED)

    def test_reporter_named_needs_un_named_consent(self):
        self.sign_in(self.alice)
        response = self.client.post(
            f"/staff/exports/new/{self.person.id}/",
            {"template": "wgeid", "recipient": self.recipient["un"], "reporter_named": "on"},
        )
        self.assertContains(response, "consent does not allow", status_code=400)
        self.assertFalse(Export.objects.exists())

    def test_markup_in_recipient_and_text_is_text_everywhere(self):
        evil = '<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>'
        export = self.draft(recipient="UN " + evil)
        self.edit(export, evil + ' <style>@import url("file:///etc/passwd")</style>')
        page = self.client.get(f"/staff/exports/{export.id}/")
        self.assertNotIn(b"<script>alert", page.content)
        _pdf, data = self.approve_and_release(export)
        self.assertIn("<script>", json.loads(data)["recipient"])
        self.client.logout()
        status = self.client.post("/en/receipt/", {"receipt": self.receipt})
        self.assertNotIn(b"<script>alert", status.content)
        self.assertIn(b"&lt;script&gt;", status.content)

    def test_a_stale_save_cannot_turn_a_released_export_back_into_a_draft(self):
        export = self.draft()
        rui_key = self.private_key(self.rui)
        opened = services.open_export(self.rui, rui_key, export.id)
        sending.approve(self.rui, rui_key, opened, services.version_hash(opened))
        stale = services.open_export(self.alice, self.private_key(self.alice), export.id)
        sending.release(self.rui, rui_key, services.open_export(self.rui, rui_key, export.id))
        export.refresh_from_db()
        self.assertEqual(export.state, State.RELEASED)
        try:
            services.save_texts(self.alice, stale, {stale.draft.fields[0]["key"]: "changed"})
        except services.NotAllowed:
            pass
        export.refresh_from_db()
        self.assertEqual(export.state, State.RELEASED)

    def test_nothing_typed_is_in_clear_in_any_table_or_log(self):
        import logging

        from django.db import connection

        records: list[str] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record.getMessage() + repr(record.args) + str(record.exc_info))

        root = logging.getLogger()
        handler, level = Keep(level=logging.DEBUG), root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            export = self.draft(recipient="ZQXRECIPIENT")
            self.edit(export, "ZQXTEXT 古麗娜爾 Gülnar")
            self.client.post(f"/staff/exports/{export.id}/mark/", {"words": "ZQXMARK"})
            self.client.post(
                f"/staff/exports/{export.id}/choose/", {"key": "name|x|ZQXKEY", "keep": "1"}
            )
            self.approve_and_release(export)
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        markers = [
            "ZQXRECIPIENT",
            "ZQXTEXT",
            "ZQXMARK",
            "ZQXKEY",
            "Gulnar",
            "Gülnar",
            "Memet",
            "Abdukerim",
            "古麗娜爾",
        ]
        found = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 -- table names from introspection
                for row in cursor.fetchall():
                    for value in row:
                        text = (
                            value.decode("utf-8", "replace")
                            if isinstance(value, (bytes, memoryview))
                            and not isinstance(value, memoryview)
                            else (
                                bytes(value).decode("utf-8", "replace")
                                if isinstance(value, memoryview)
                                else str(value)
                            )
                        )
                        found += [(table, m) for m in markers if m in text]
        logged = [(m, r[:200]) for r in records for m in markers if m in r]
        self.assertEqual(found, [])
        self.assertEqual(logged, [])


class WitnessSentenceTestCase(Steps):
    """The family describes the witnesses in a sentence, as people do."""

    report_data = {
        **base.REPORT,
        "name_1": "Memet Tursun",
        "script_1": "latin",
        "reporter_name": "Gulnar Hesen",
        "witnesses": "Our neighbour Abdukerim Rozi and his wife Patigul saw the police take him",
        "narrative": "Police took my brother. Abdukerim Rozi saw the car; Patigul called me.",
        "consent": "publish-name",
    }

    def test_it_never_releases_a_witness_named_in_a_sentence(self):
        export = self.draft(template="wgeid")
        _pdf, data = self.approve_and_release(export)
        text = json.dumps(json.loads(data), ensure_ascii=False)
        self.assertNotIn("Abdukerim", text)
        self.assertNotIn("Patigul", text)

    def test_it_never_sends_a_witness_named_in_a_sentence_to_a_partner(self):
        export = self.draft(template="partner", recipient="Partner NGO")
        _pdf, data = self.approve_and_release(export)
        text = json.dumps(json.loads(data), ensure_ascii=False)
        self.assertNotIn("Abdukerim", text)
        self.assertNotIn("Patigul", text)


class PublicNarrativeTestCase(Steps):
    def test_narrowing_from_full_public_use_stops_the_narrative_going_to_the_press(self):
        from intake.models import Report

        Report.objects.filter(id=self.report.id).update(consent="public")
        export = self.draft(template="public", recipient="The Daily Paper")
        opened = services.open_export(self.alice, self.private_key(self.alice), export.id)
        self.assertIn("saw the car", json.dumps([f["text"] for f in opened.draft.fields]))
        family = Client()
        family.post(
            "/en/receipt/",
            {"receipt": self.receipt, "action": "consent", "consent": "publish-name"},
        )
        export.refresh_from_db()
        if export.state == State.BLOCKED:
            return
        _pdf, data = self.approve_and_release(export)
        self.assertNotIn("saw the car", data.decode())
