"""An outside review's attacks on the sealed register of recipients and its organisation
key, kept as tests: a split key, an unreadable row, disguised names, who holds the key."""

from __future__ import annotations

import io
from unittest import mock

from django.core.management import call_command

import crypto
from accounts import approvals, people
from accounts import services as accounts
from accounts.models import OrganisationKey, Role
from disclosure import recipients
from disclosure.models import Recipient
from disclosure.tests.base import ExportTestCase
from tests.base import PASSWORDS


class RegisterAttacksTestCase(ExportTestCase):
    def _second_coordinator(self):
        key = self.private_key(self.coordinator)
        cora = accounts.add_staff(
            "cora", Role.COORDINATOR, PASSWORDS["cora"], self.coordinator, key
        )
        return cora, accounts.unlock_private_key(cora, PASSWORDS["cora"])

    def test_it_keeps_one_register_key_when_two_coordinators_make_it_at_once(self):
        cora, cora_key = self._second_coordinator()
        OrganisationKey.objects.filter(purpose=OrganisationKey.Purpose.REGISTER).delete()
        Recipient.objects.all().delete()
        real_new_key = crypto.new_key
        calls: list[int] = []

        def interleaved() -> bytes:
            # Both coordinators found no register key; Cora's request finishes first.
            if not calls:
                calls.append(1)
                recipients.add(cora, cora_key, "partner", "Partner NGO")
            return real_new_key()

        with mock.patch("disclosure.recipients.crypto.new_key", side_effect=interleaved):
            recipients.add(self.coordinator, self.private_key(self.coordinator), "un", "UN WGEID")
        names = {e.name for e in recipients.entries(self.alice, self.private_key(self.alice))}
        self.assertEqual(names, {"UN WGEID", "Partner NGO"})

    def test_it_shows_the_register_page_when_one_name_does_not_open(self):
        # What a split register leaves behind: one row sealed under another key.
        row = Recipient.objects.get(id=self.recipient["public"])
        row.sealed_name = crypto.seal(crypto.new_key(), b"Press", b"x")
        row.save()
        self.sign_in(self.coordinator)
        self.assertEqual(self.client.get("/staff/exports/recipients/").status_code, 200)
        self.client.logout()
        self.sign_in(self.alice)
        page = self.client.get(f"/staff/exports/new/{self.person.id}/")
        self.assertEqual(page.status_code, 200)

    def test_it_refuses_a_name_with_a_lone_surrogate_without_a_crash(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            "/staff/exports/recipients/",
            b"kind=un&name=%ED%A0%80abc",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertIn(response.status_code, (302, 400))

    def test_it_refuses_a_huge_form_without_a_crash(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            "/staff/exports/recipients/", {"kind": "un", "name": "x" * 3_000_000}
        )
        self.assertIn(response.status_code, (400, 413))
        self.assertEqual(Recipient.objects.count(), 3)

    def test_it_refuses_control_and_bidi_characters_in_a_name(self):
        self.sign_in(self.coordinator)
        for name in ("UN\x00", "UN \u202eDIEGW", "UN\x1b[31m WGEID"):
            response = self.client.post("/staff/exports/recipients/", {"kind": "un", "name": name})
            self.assertEqual(response.status_code, 400, repr(name))
        self.assertEqual(Recipient.objects.count(), 3)

    def test_it_takes_the_register_key_from_a_staff_member_moved_to_reviewer(self):
        people.change_role(
            self.coordinator, self.private_key(self.coordinator), self.alice, Role.REVIEWER
        )
        with self.assertRaises(recipients.NoKey):
            recipients.entries(self.alice, self.private_key(self.alice))

    def test_it_takes_the_register_key_from_a_deactivated_staff_member(self):
        people.deactivate(self.coordinator, self.alice)
        with self.assertRaises(recipients.NoKey):
            recipients.entries(self.alice, self.private_key(self.alice))

    def test_it_gives_the_register_key_on_a_move_from_reviewer_to_caseworker(self):
        key = self.private_key(self.coordinator)
        people.change_role(self.coordinator, key, self.rui, Role.CASEWORKER)
        self.assertEqual(len(recipients.entries(self.rui, self.private_key(self.rui))), 3)

    def test_it_gives_the_register_key_after_a_password_reset_and_a_move_back(self):
        key = self.private_key(self.coordinator)
        people.reset_password(self.coordinator, self.bob, "bob-new-pass-77-qwerty")
        bob = type(self.bob).objects.get(pk=self.bob.pk)
        with self.assertRaises(recipients.NoKey):
            recipients.entries(bob, accounts.unlock_private_key(bob, "bob-new-pass-77-qwerty"))
        # The re-grant: a change of role and back (what a coordinator can do).
        people.change_role(self.coordinator, key, bob, Role.REVIEWER)
        people.change_role(self.coordinator, key, bob, Role.CASEWORKER)
        bob_key = accounts.unlock_private_key(bob, "bob-new-pass-77-qwerty")
        self.assertEqual(len(recipients.entries(bob, bob_key)), 3)

    def test_it_refuses_a_second_register_key_from_a_coordinator_without_one(self):
        cora, cora_key = self._second_coordinator()
        OrganisationKey.objects.filter(holder=cora.holder, purpose="register").delete()
        before = OrganisationKey.objects.filter(purpose="register").count()
        with self.assertRaises(recipients.NoKey):
            recipients.ensure_key(cora, cora_key)
        self.sign_in(cora)
        response = self.client.post("/staff/exports/recipients/", {"kind": "un", "name": "X"})
        self.assertIn(response.status_code, (400, 404))
        self.assertEqual(OrganisationKey.objects.filter(purpose="register").count(), before)

    def test_it_lets_only_a_coordinator_change_the_register(self):
        un = self.recipient["un"]
        for staff in (self.alice, self.bob, self.ines, self.rui, self.ada):
            self.sign_in(staff)
            for method, url in (
                ("get", "/staff/exports/recipients/"),
                ("post", "/staff/exports/recipients/"),
                ("post", f"/staff/exports/recipients/{un}/active/"),
            ):
                response = getattr(self.client, method)(
                    url, {"kind": "un", "name": "Evil", "active": "0"}
                )
                self.assertIn(response.status_code, (403, 404), (staff.username, method, url))
            self.client.logout()
        self.assertTrue(Recipient.objects.get(id=un).active)
        self.assertEqual(Recipient.objects.count(), 3)
        self.sign_in(self.coordinator)
        self.assertEqual(
            self.client.get(f"/staff/exports/recipients/{un}/active/").status_code, 405
        )

    def test_it_refuses_a_recipient_of_another_kind_or_unknown(self):
        self.sign_in(self.alice)
        url = f"/staff/exports/new/{self.person.id}/"
        for recipient in (self.recipient["public"], "00000000-0000-0000-0000-000000000000", "x"):
            response = self.client.post(url, {"template": "wgeid", "recipient": recipient})
            self.assertEqual(response.status_code, 400, recipient)

    def test_it_gives_the_register_key_back_with_recover(self):
        OrganisationKey.objects.filter(holder=self.bob.holder, purpose="register").delete()
        with mock.patch("sys.stdin", io.StringIO("\n".join(self.shares[:3]) + "\n\n")):
            call_command("recover", "--grant-to", "bob", stdout=io.StringIO())
        self.assertEqual(len(recipients.entries(self.bob, self.private_key(self.bob))), 3)
        # A reviewer gets nothing of it by recovery.
        with mock.patch("sys.stdin", io.StringIO("\n".join(self.shares[:3]) + "\n\n")):
            call_command("recover", "--grant-to", "rui", stdout=io.StringIO())
        with self.assertRaises(recipients.NoKey):
            recipients.entries(self.rui, self.private_key(self.rui))

    def test_it_gives_the_register_key_to_an_account_approved_with_shares(self):
        cora, _cora_key = self._second_coordinator()
        proposal = approvals.propose_new_account(cora, "nadia", Role.CASEWORKER)
        approvals.approve_with_shares(
            proposal.pk,
            self.coordinator,
            self.private_key(self.coordinator),
            self.shares[:3],
            "nadia-first-pass-5521",
        )
        nadia = type(self.bob).objects.get(username="nadia")
        nadia_key = accounts.unlock_private_key(nadia, "nadia-first-pass-5521")
        self.assertEqual(len(recipients.entries(nadia, nadia_key)), 3)

    def test_it_does_not_crash_when_the_granter_lacks_the_register_key(self):
        key = self.private_key(self.coordinator)
        OrganisationKey.objects.filter(holder=self.coordinator.holder, purpose="register").delete()
        nadia = accounts.add_staff(
            "nadia", Role.CASEWORKER, "nadia-first-pass-5521", self.coordinator, key
        )
        people.change_role(self.coordinator, key, self.rui, Role.CASEWORKER)
        # Neither gets it, silently: the register stays empty for them with no word why.
        self.assertFalse(
            OrganisationKey.objects.filter(holder=nadia.holder, purpose="register").exists()
        )
        self.assertFalse(
            OrganisationKey.objects.filter(holder=self.rui.holder, purpose="register").exists()
        )
