"""An export's life through the services: drafted by a holder within the consent,
redacted, approved by a second person on the exact version, released after the leak
check, and told to the family; a narrower consent stops it at once."""

from __future__ import annotations

import json
from unittest import mock

from audit.models import Action, Waiting
from disclosure import sending, services
from disclosure.models import Export, ExportReport, State
from intake import returns, shredding
from intake.models import Report, Sharing

from .base import ExportTestCase


class ExportsTestCase(ExportTestCase):
    def start(self, template: str = "wgeid", staff=None) -> Export:
        staff = staff or self.alice
        return services.start(staff, self.private_key(staff), self.person.id, template, "UN WGEID")

    def open(self, export: Export, staff=None) -> services.OpenExport:
        staff = staff or self.alice
        return services.open_export(staff, self.private_key(staff), export.id)

    def final_text(self, opened: services.OpenExport) -> str:
        return "\n".join(s.text for s in services.final_document(opened).sections)

    def approve(self, export: Export) -> services.OpenExport:
        opened = self.open(export, self.rui)
        sending.approve(self.rui, self.private_key(self.rui), opened, services.version_hash(opened))
        return self.open(export)

    def test_it_drafts_a_wgeid_submission_from_the_cases_reports(self):
        export = self.start()
        self.assertEqual(export.state, State.DRAFT)
        self.assertEqual(export.recipient_kind, "un")
        self.assertEqual(export.identity_level, "missing-named")
        self.assertTrue(export.public_id.startswith("EXP-"))
        reports = ExportReport.objects.filter(export=export).values_list("report_id", flat=True)
        self.assertEqual(list(reports), [self.report.id])
        sealed = bytes(Export.objects.get(id=export.id).sealed_draft)
        for clear in (b"Memet", b"Gulnar", b"UN WGEID", b"Bostan"):
            self.assertNotIn(clear, sealed)
        entry = Waiting.objects.filter(action=Action.EXPORT_DRAFTED).get()
        self.assertEqual(entry.subjects, [export.id.hex, self.person.id.hex, self.report.id.hex])
        self.assertEqual(entry.created_at.time().isoformat(), "00:00:00")

    def test_it_redacts_everyone_but_the_missing_person_for_the_wgeid(self):
        opened = self.open(self.start())
        text = self.final_text(opened)
        self.assertIn("Memet Tursun", text)  # the WGEID needs the name
        for secret in ("Gulnar", "Hesen", "Abdukerim", "0199", "653101198401012345"):
            self.assertNotIn(secret, text)
        # The father, in Uyghur script inside the narrative, is caught too.
        self.assertNotIn("تۇرسۇن ئابلىمىت", text)
        self.assertIn("[witness's name]", text)

    def test_it_names_no_one_in_a_partner_summary(self):
        Report.objects.filter(id=self.report.id).update(consent="partners")
        opened = self.open(self.start("partner"))
        text = self.final_text(opened)
        for secret in ("Memet", "مەمەت", "Gulnar", "Abdukerim", "Bostan", "0199"):
            self.assertNotIn(secret, text)

    def test_it_refuses_what_the_consent_does_not_allow(self):
        Report.objects.filter(id=self.report.id).update(consent="partners")
        with self.assertRaises(services.NotAllowed) as refused:
            self.start("wgeid")
        self.assertIn("consent", refused.exception.message)
        self.assertIn(self.report.received_on.isoformat(), refused.exception.message)
        Report.objects.filter(id=self.report.id).update(consent="internal")
        for template in ("wgeid", "partner", "public"):
            with self.assertRaises(services.NotAllowed):
                self.start(template)
        self.assertFalse(Export.objects.exists())

    def test_bob_cannot_draft_or_open_a_case_he_does_not_hold(self):
        export = self.start()
        with self.assertRaises(services.NoAccess):
            self.start(staff=self.bob)
        with self.assertRaises(services.NoAccess):
            self.open(export, self.bob)
        with self.assertRaises(services.NoAccess):
            self.start(staff=self.rui)  # reviewers review, they do not draft

    def test_the_author_can_never_approve_their_own_export(self):
        export = self.start()
        opened = self.open(export)
        with self.assertRaises(services.NotAllowed):
            sending.approve(
                self.alice, self.private_key(self.alice), opened, services.version_hash(opened)
            )
        self.assertEqual(Export.objects.get(id=export.id).state, State.DRAFT)

    def test_a_second_holder_approves_the_exact_version_and_any_change_voids_it(self):
        export = self.start()
        stale = services.version_hash(self.open(export, self.rui))
        opened = self.open(export)
        services.mark(self.alice, opened, "brother")
        with self.assertRaises(services.NotAllowed):
            sending.approve(
                self.rui, self.private_key(self.rui), self.open(export, self.rui), stale
            )
        opened = self.approve(export)
        self.assertEqual(opened.export.state, State.APPROVED)
        self.assertEqual(opened.export.reviewer, self.rui)
        services.save_texts(self.alice, opened, {"narrative": "Police took him."})
        export.refresh_from_db()
        self.assertEqual(export.state, State.DRAFT)
        self.assertEqual(bytes(export.approved_hash), b"")

    def test_only_the_author_changes_a_draft(self):
        export = self.start()
        with self.assertRaises(services.NotAllowed):
            services.mark(self.rui, self.open(export, self.rui), "brother")

    def test_a_forbidden_proposal_cannot_be_kept(self):
        opened = self.open(self.start())
        reporter = [
            p
            for f in opened.draft.fields
            for p in services.proposals(opened, f["text"])
            if p.forbidden
        ]
        self.assertTrue(reporter)
        with self.assertRaises(services.NotAllowed):
            services.choose(self.alice, opened, reporter[0].key, keep=True)

    def test_it_releases_an_approved_export_records_it_and_tells_the_family(self):
        export = self.start()
        opened = self.approve(export)
        pdf = sending.release(self.alice, self.private_key(self.alice), opened)
        export.refresh_from_db()
        self.assertEqual(export.state, State.RELEASED)
        self.assertIsNotNone(export.released_on)
        self.assertTrue(pdf.startswith(b"%PDF"))
        files = sending.package(self.open(export))
        self.assertEqual(files["pdf"], pdf)
        self.assertIn(export.public_id.encode(), files["json"])
        self.assertNotIn(b"Gulnar", bytes(export.sealed_package))
        entry = Waiting.objects.filter(action=Action.EXPORT).get()
        self.assertEqual(entry.subjects, [export.id.hex, self.person.id.hex, self.report.id.hex])
        self.assertEqual(entry.created_at.time().isoformat(), "00:00:00")
        self.assertEqual(Sharing.objects.filter(report=self.report).count(), 1)
        access = returns.open_with_receipt(self.receipt.replace(" ", ""))
        assert access is not None
        shared = returns.sharings(access)
        self.assertEqual([(s.recipient, s.kind) for s in shared], [("UN WGEID", "un")])

    def test_a_leak_in_the_rendered_files_blocks_the_release(self):
        export = self.start()
        opened = self.approve(export)
        leaky = b'{"sections": [{"text": "\\u0413\\u0443\\u043b\\u044c\\u043d\\u0430\\u0440"}]}'
        # A rendering fault that puts the reporter's name (in Cyrillic) into the JSON.
        with mock.patch.object(services.render, "json_bytes", return_value=leaky):
            with self.assertRaises(sending.LeakFound) as found:
                sending.release(self.alice, self.private_key(self.alice), opened)
        self.assertTrue(found.exception.hits)
        export.refresh_from_db()
        self.assertEqual(export.state, State.APPROVED)
        self.assertFalse(Sharing.objects.exists())
        self.assertFalse(Waiting.objects.filter(action=Action.EXPORT).exists())

    def test_the_leak_check_finds_the_id_number_in_arabic_indic_digits(self):
        opened = self.approve(self.start())
        digits = "٦٥٣١٠١١٩٨٤٠١٠١٢٣٤٥"  # 653101198401012345, as an Arabic keyboard types it
        leaky = json.dumps({"sections": [{"text": f"ID {digits}"}]}).encode()
        with mock.patch.object(services.render, "json_bytes", return_value=leaky):
            with self.assertRaises(sending.LeakFound) as found:
                sending.release(self.alice, self.private_key(self.alice), opened)
        self.assertIn("id_number", {hit.kind for hit in found.exception.hits})

    def test_a_narrowed_consent_blocks_drafts_and_approved_exports_at_once(self):
        draft = self.start()
        approved = self.start()
        self.approve(approved)
        access = returns.open_with_receipt(self.receipt.replace(" ", ""))
        assert access is not None
        returns.change_consent(access, "partners")
        for export in (draft, approved):
            export.refresh_from_db()
            self.assertEqual(export.state, State.BLOCKED)
        with self.assertRaises(services.NotAllowed):
            sending.release(self.alice, self.private_key(self.alice), self.open(approved))
        self.assertEqual(Waiting.objects.filter(action=Action.EXPORT_BLOCKED).count(), 2)

    def test_a_consent_that_still_allows_it_leaves_the_export_alone(self):
        export = self.start()
        access = returns.open_with_receipt(self.receipt.replace(" ", ""))
        assert access is not None
        returns.change_consent(access, "un-named")
        export.refresh_from_db()
        self.assertEqual(export.state, State.DRAFT)

    def test_withdrawing_blocks_a_released_export_from_nothing_but_stops_the_rest(self):
        released = self.start()
        sending.release(self.alice, self.private_key(self.alice), self.approve(released))
        draft = self.start()
        access = returns.open_with_receipt(self.receipt.replace(" ", ""))
        assert access is not None
        returns.withdraw(access)
        released.refresh_from_db()
        draft.refresh_from_db()
        self.assertEqual(released.state, State.RELEASED)  # a record of what was sent
        self.assertEqual(draft.state, State.BLOCKED)

    def test_shredding_the_report_takes_its_words_from_every_export(self):
        released = self.start()
        sending.release(self.alice, self.private_key(self.alice), self.approve(released))
        draft = self.start()
        sent = sending.package(self.open(released))
        shredding.shred(self.report)
        self.assertFalse(Export.objects.filter(id=draft.id).exists())
        released.refresh_from_db()
        self.assertEqual(bytes(released.sealed_draft), b"")
        # What was sent stays the organisation's record, and its page still opens.
        opened = self.open(released)
        self.assertEqual(sending.package(opened), sent)
        self.assertEqual(opened.draft.fields, [])

    def test_an_export_whose_own_id_reads_like_a_messaging_handle_is_released(self):
        # "QQ" is a messaging service: the leak check once refused this export for its id.
        with mock.patch.object(services, "new_public_id", return_value="EXP-QQ6R-5V52"):
            export = self.start()
        sending.release(self.alice, self.private_key(self.alice), self.approve(export))
        export.refresh_from_db()
        self.assertEqual(export.state, State.RELEASED)

    def test_a_public_statement_cannot_keep_an_id_number_typed_into_it(self):
        Report.objects.filter(id=self.report.id).update(consent="public")
        opened = self.open(self.start("public"))
        key = opened.draft.fields[0]["key"]
        services.save_texts(self.alice, opened, {key: "ID 653101198401012345, from Bostan."})
        opened = self.open(opened.export)
        found = services.proposals(opened, opened.draft.fields[0]["text"])
        self.assertEqual({p.span.kind for p in found}, {"id_number", "place"})
        for proposal in found:
            self.assertTrue(proposal.forbidden)
            with self.assertRaises(services.NotAllowed):
                services.choose(self.alice, opened, proposal.key, keep=True)
        self.assertNotIn("653101198401012345", self.final_text(opened))
