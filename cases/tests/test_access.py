"""Need to know: Alice and Bob are caseworkers with a report each; neither can list,
open, download, assign or message the other's, by any URL, and the cryptography
agrees with the permission checks."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import SealedTOTPDevice
from audit.models import Action, Waiting
from cases import services
from intake.models import Attachment, ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(out, "JPEG")
    return out.getvalue()


class AccessTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        for name in ("Alice Case", "Bob Case"):
            data = report_form_data(name_1=name)
            data["attachments"] = [SimpleUploadedFile("photo.jpg", jpeg())]
            self.assertEqual(self.client.post("/en/report/", data).status_code, 200)
        ines_key = self.private_key(self.ines)
        self.report_a = report_named("Alice Case", self.ines, ines_key)
        self.report_b = report_named("Bob Case", self.ines, ines_key)
        services.assign(self.ines, ines_key, self.report_a.id, self.alice)
        services.assign(self.ines, ines_key, self.report_b.id, self.bob)
        self.file_b = Attachment.objects.get(report=self.report_b)

    def test_each_sees_only_their_own_report_in_the_inbox(self):
        self.sign_in(self.alice)
        page = self.client.get("/staff/reports/")
        self.assertContains(page, "Alice Case")
        self.assertNotContains(page, "Bob Case")
        self.assertNotContains(page, str(self.report_b.id))

    def test_alice_cannot_reach_bobs_report_by_any_url(self):
        self.sign_in(self.alice)
        b = self.report_b.id
        for method, url, data in (
            ("get", f"/staff/reports/{b}/", None),
            ("get", f"/staff/reports/{b}/files/{self.file_b.id}/", None),
            ("get", f"/staff/reports/{self.report_a.id}/files/{self.file_b.id}/", None),
            ("post", f"/staff/reports/{b}/message/", {"text": "hello"}),
            ("post", f"/staff/reports/{b}/assign/", {"caseworker": self.alice.pk}),
            ("get", f"/staff/reports/{uuid.uuid4()}/", None),
        ):
            response = getattr(self.client, method)(url, data)
            self.assertEqual(response.status_code, 404, url)

    def test_a_forged_wrapping_does_not_open_the_report(self):
        """Even with a permission row, Bob's wrapping does not open for Alice's key."""
        bobs = ReportKey.objects.get(report=self.report_b, holder=self.bob.holder)
        ReportKey.objects.create(
            report=self.report_b, holder=self.alice.holder, wrapped=bobs.wrapped
        )
        with self.assertRaises(services.NoAccess):
            services.open_report(self.alice, self.private_key(self.alice), self.report_b.id)

    def test_alice_opens_and_downloads_her_report_and_it_is_audited(self):
        self.sign_in(self.alice)
        page = self.client.get(f"/staff/reports/{self.report_a.id}/")
        self.assertContains(page, "Alice Case")
        file_a = Attachment.objects.get(report=self.report_a)
        response = self.client.get(f"/staff/reports/{self.report_a.id}/files/{file_a.id}/")
        body = response.getvalue()
        self.assertEqual(Image.open(io.BytesIO(body)).size, (40, 30))
        # Entries that name a report wait for the end of the day (audit.chain).
        actions = Waiting.objects.filter(actor=f"staff:{self.alice.pk}").values_list(
            "action", flat=True
        )
        self.assertIn(Action.REPORT_OPENED, actions)
        self.assertIn(Action.ATTACHMENT_DOWNLOADED, actions)

    def test_a_coordinator_without_a_wrapping_sees_no_content(self):
        self.sign_in(self.coordinator)
        self.assertContains(self.client.get("/staff/reports/"), "No reports you can open")
        self.assertEqual(self.client.get(f"/staff/reports/{self.report_a.id}/").status_code, 404)

    def test_assigning_needs_a_fresh_second_factor(self):
        self.sign_in(self.ines)
        url = f"/staff/reports/{self.report_a.id}/assign/"
        bob_on_a = ReportKey.objects.filter(report=self.report_a, holder=self.bob.holder)
        response = self.client.post(url, {"caseworker": self.bob.pk, "code": "000000"})
        self.assertContains(response, "fresh code", status_code=400)
        self.assertFalse(bob_on_a.exists())
        # A wrong code throttles the device; waiting it out is simulated here.
        SealedTOTPDevice.objects.filter(user=self.ines).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        code = self.totp_code(self.ines)
        response = self.client.post(url, {"caseworker": self.bob.pk, "code": code})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(bob_on_a.exists())

    def test_a_caseworker_cannot_assign(self):
        self.sign_in(self.alice)
        url = f"/staff/reports/{self.report_a.id}/assign/"
        self.assertEqual(self.client.post(url, {"caseworker": self.bob.pk}).status_code, 404)

    def test_revoking_removes_access(self):
        services.revoke(self.ines, self.report_a.id, self.alice)
        with self.assertRaises(services.NoAccess):
            services.open_report(self.alice, self.private_key(self.alice), self.report_a.id)

    def test_the_staff_area_needs_a_signed_in_verified_user(self):
        self.assertRedirects(self.client.get("/staff/reports/"), "/staff/login/")
