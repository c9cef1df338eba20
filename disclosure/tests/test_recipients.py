"""The register of recipients: kept by coordinators, each name sealed under the register's
key, which comes with the roles that draft exports; the new-export form offers only what
is in use."""

from __future__ import annotations

from accounts import services as accounts
from accounts.models import OrganisationKey
from audit.models import Action, Waiting
from disclosure import recipients
from disclosure.models import Recipient

from .base import ExportTestCase


class RecipientsTestCase(ExportTestCase):
    def test_a_coordinator_adds_a_recipient_whose_name_is_sealed(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            "/staff/exports/recipients/", {"kind": "public", "name": "Radio Free Asia desk"}
        )
        self.assertEqual(response.status_code, 302)
        for row in Recipient.objects.all():
            self.assertNotIn(b"Radio Free", bytes(row.sealed_name))
        self.assertEqual(Recipient.objects.filter(kind="public").count(), 2)
        page = self.client.get("/staff/exports/recipients/")
        self.assertContains(page, "Radio Free Asia desk")
        self.assertTrue(Waiting.objects.filter(action=Action.RECIPIENTS_CHANGED).exists())

    def test_a_mistake_in_the_form_names_the_field(self):
        self.sign_in(self.coordinator)
        response = self.client.post("/staff/exports/recipients/", {"kind": "", "name": ""})
        self.assertContains(response, "Choose the kind of recipient.", status_code=400)
        self.assertContains(response, "Write the recipient&#x27;s name.", status_code=400)
        response = self.client.post("/staff/exports/recipients/", {"kind": "un", "name": "x" * 201})
        self.assertContains(response, "Shorten the name to 200 characters.", status_code=400)
        self.assertEqual(Recipient.objects.count(), 3)

    def test_the_drafting_roles_read_it_and_the_others_do_not(self):
        for staff in (self.alice, self.bob, self.ines, self.coordinator):
            names = {e.name for e in recipients.entries(staff, self.private_key(staff))}
            self.assertEqual(names, {"UN WGEID", "Partner NGO", "Press"}, staff.username)
        for staff in (self.rui, self.ada):
            with self.assertRaises(recipients.NoKey):
                recipients.entries(staff, self.private_key(staff))
        self.sign_in(self.alice)
        self.assertEqual(self.client.get("/staff/exports/recipients/").status_code, 404)

    def test_a_retired_recipient_is_no_longer_offered(self):
        self.sign_in(self.coordinator)
        un = self.recipient["un"]
        self.client.post(f"/staff/exports/recipients/{un}/active/", {"active": "0"})
        self.client.logout()
        self.sign_in(self.alice)
        page = self.client.get(f"/staff/exports/new/{self.person.id}/")
        self.assertNotContains(page, "UN WGEID")
        response = self.client.post(
            f"/staff/exports/new/{self.person.id}/", {"template": "wgeid", "recipient": un}
        )
        self.assertContains(response, "Choose a recipient from the list.", status_code=400)

    def test_an_installation_older_than_the_register_gets_its_key_from_a_coordinator(self):
        OrganisationKey.objects.filter(purpose=OrganisationKey.Purpose.REGISTER).delete()
        Recipient.objects.all().delete()
        coordinator_key = self.private_key(self.coordinator)
        recipients.add(self.coordinator, coordinator_key, "un", "UN WGEID")
        # Every drafting role and the recovery key received it at once.
        for staff in (self.alice, self.bob, self.ines):
            self.assertEqual(len(recipients.entries(staff, self.private_key(staff))), 1)
        recovery = accounts.organisation().recovery_holder
        self.assertTrue(
            OrganisationKey.objects.filter(purpose="register", holder=recovery).exists()
        )
        # A caseworker cannot make a second register key for themselves.
        OrganisationKey.objects.filter(holder=self.bob.holder, purpose="register").delete()
        with self.assertRaises(recipients.NoKey):
            recipients.ensure_key(self.bob, self.private_key(self.bob))

    def test_markup_in_a_name_is_text(self):
        key = self.private_key(self.coordinator)
        recipients.add(self.coordinator, key, "un", "<script>alert(1)</script>")
        self.sign_in(self.alice)
        page = self.client.get(f"/staff/exports/new/{self.person.id}/")
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "&lt;script&gt;")
