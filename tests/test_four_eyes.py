"""Four eyes on changes that grant access to content: a new account, a role that opens
reports, a password reset. They stay pending until a second coordinator approves (with
two coordinators), or the recovery trustees do (with one)."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import skipUnless

from django.db import connection
from django.test import Client, TransactionTestCase
from django.utils import timezone

from accounts import approvals, services
from accounts import login as staff_login
from accounts.models import OrganisationKey, Proposal, Role, SealedTOTPDevice, Staff
from audit.models import Action, Entry
from crypto import recovery
from tests.base import PASSWORDS, BaseTestCase

FIRST = "nur-first-pass-from-cora-42"
INDEX = OrganisationKey.Purpose.INDEX


def has_index_key(staff: Staff) -> bool:
    return OrganisationKey.objects.filter(purpose=INDEX, holder=staff.holder).exists()


class FourEyesBase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.sign_in(self.coordinator)
        self.code = self.totp_code(self.coordinator)

    def actions(self) -> list[str]:
        return list(Entry.objects.order_by("sequence").values_list("action", flat=True))

    def propose_account(self, username: str = "nur", role: str = "intake") -> Proposal:
        self.client.post("/staff/people/", {"username": username, "role": role, "code": self.code})
        return Proposal.objects.get(username=username, kind=Proposal.Kind.NEW_ACCOUNT)


class TwoCoordinatorsTestCase(FourEyesBase):
    cora: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        key = services.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        cls.cora = services.add_staff(
            "cora", Role.COORDINATOR, PASSWORDS["cora"], cls.coordinator, key
        )

    def setUp(self):
        super().setUp()
        # Cora signs in in a browser of her own.
        self.coordinator_client, self.client = self.client, Client()
        self.sign_in(self.cora)
        self.cora_code = self.totp_code(self.cora)
        self.cora_client, self.client = self.client, self.coordinator_client

    def as_cora(self, path: str, data: dict | None = None):
        return self.cora_client.post(path, data or {}, follow=True)

    def approve(self, proposal: Proposal, **data):
        return self.as_cora(f"/staff/people/proposals/{proposal.pk}/approve/", data)

    def test_it_keeps_a_new_account_pending_and_unusable_until_approved(self):
        proposal = self.propose_account()
        self.assertFalse(Staff.objects.filter(username="nur").exists())
        page = self.client.get("/staff/people/")
        self.assertContains(page, "Pending:")
        self.assertContains(page, "a new intake caseworker account for nur")
        # Whatever the proposer might try as a password, nothing signs in.
        with self.assertRaises(staff_login.LoginRefused):
            staff_login.check_password("nur", FIRST)
        response = self.approve(proposal, password=FIRST, code=self.cora_code)
        self.assertContains(response, "Approved and done: a new intake caseworker account for nur.")
        nur = Staff.objects.get(username="nur")
        self.assertEqual(nur.role, Role.INTAKE)
        self.assertTrue(nur.must_change_password)
        self.assertTrue(has_index_key(nur))
        # From another client: the failed try above slowed down only its own (account, client).
        staff_login.check_password("nur", FIRST, "nurs-own-client")
        self.assertNotContains(self.client.get("/staff/people/"), "Pending:")

    def test_it_refuses_the_proposers_own_approval(self):
        proposal = self.propose_account()
        response = self.client.post(
            f"/staff/people/proposals/{proposal.pk}/approve/", {"password": FIRST}, follow=True
        )
        self.assertContains(response, "A change needs a second coordinator")
        self.assertFalse(Staff.objects.filter(username="nur").exists())
        with self.assertRaises(approvals.Refused):
            approvals.approve(
                proposal.pk, self.coordinator, self.private_key(self.coordinator), FIRST
            )

    def test_it_needs_a_fresh_step_up_to_approve(self):
        proposal = self.propose_account()
        response = self.approve(proposal, password=FIRST, code="000000")
        self.assertContains(response, "Not approved:")
        self.assertContains(response, "fresh code")
        self.assertFalse(Staff.objects.filter(username="nur").exists())

    def test_it_takes_the_key_material_from_the_approver(self):
        proposal = self.propose_account()
        # The proposer's own index key plays no part in the grant.
        OrganisationKey.objects.filter(holder=self.coordinator.holder).delete()
        self.approve(proposal, password=FIRST, code=self.cora_code)
        self.assertTrue(has_index_key(Staff.objects.get(username="nur")))

    def test_it_validates_the_first_password_like_any_account(self):
        proposal = self.propose_account()
        response = self.approve(proposal, password="123456789012", code=self.cora_code)
        self.assertContains(response, "This password is entirely numeric.")
        self.assertFalse(Staff.objects.filter(username="nur").exists())

    def test_it_keeps_a_role_change_towards_intake_pending(self):
        Staff.objects.filter(pk=self.bob.pk).update(role=Role.REVIEWER)
        OrganisationKey.objects.filter(holder=self.bob.holder).delete()
        response = self.client.post(
            f"/staff/people/{self.bob.pk}/role/", {"role": "intake", "code": self.code}, follow=True
        )
        self.assertContains(response, "Proposed: bob becomes intake caseworker.")
        self.assertEqual(Staff.objects.get(pk=self.bob.pk).role, Role.REVIEWER)
        self.assertFalse(has_index_key(self.bob))
        self.approve(Proposal.objects.get(target=self.bob), code=self.cora_code)
        self.assertEqual(Staff.objects.get(pk=self.bob.pk).role, Role.INTAKE)
        self.assertTrue(has_index_key(self.bob))

    def test_it_keeps_a_reset_pending_and_lets_the_approver_choose_the_password(self):
        old_holder = self.alice.holder_id
        self.client.post(f"/staff/people/{self.alice.pk}/reset/", {"code": self.code})
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).holder_id, old_holder)
        staff_login.check_password("alice", PASSWORDS["alice"])
        proposal = Proposal.objects.get(target=self.alice, kind=Proposal.Kind.RESET)
        response = self.approve(proposal, password="123456789012", code=self.cora_code)
        self.assertContains(response, "This password is entirely numeric.")
        self.approve(proposal, password="alice-reset-by-cora-77")
        alice = Staff.objects.get(pk=self.alice.pk)
        self.assertNotEqual(alice.holder_id, old_holder)
        self.assertTrue(alice.must_change_password)
        self.assertFalse(SealedTOTPDevice.objects.filter(user=alice).exists())
        staff_login.check_password("alice", "alice-reset-by-cora-77")
        self.assertIn(Action.PASSWORD_RESET, self.actions())
        self.assertNotIn(Action.KEY_REVOKED, self.actions())

    def test_it_lets_proposals_expire(self):
        proposal = self.propose_account()
        Proposal.objects.filter(pk=proposal.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertNotContains(self.client.get("/staff/people/"), "Pending:")
        response = self.approve(proposal, password=FIRST, code=self.cora_code)
        self.assertContains(response, "This proposal has expired.")
        self.assertFalse(Staff.objects.filter(username="nur").exists())

    def test_it_lets_the_proposer_withdraw_and_audits_every_step(self):
        proposal = self.propose_account()
        self.client.post(f"/staff/people/proposals/{proposal.pk}/decline/")
        self.assertEqual(Proposal.objects.get().outcome, Proposal.Outcome.DECLINED)
        self.approve(proposal, password=FIRST, code=self.cora_code)
        self.assertFalse(Staff.objects.filter(username="nur").exists())
        second = self.propose_account("nura", "caseworker")
        self.approve(second, password=FIRST)
        actions = self.actions()
        for action in (Action.CHANGE_PROPOSED, Action.CHANGE_DECLINED, Action.CHANGE_APPROVED):
            self.assertIn(action, actions)
        approved = Entry.objects.get(action=Action.CHANGE_APPROVED)
        self.assertEqual(approved.actor, f"staff:{self.cora.pk}")
        self.assertEqual(approved.subjects, [second.pk.hex])

    def test_it_refuses_a_proposal_whose_proposer_is_no_longer_a_coordinator(self):
        proposal = self.propose_account()
        Staff.objects.filter(pk=self.coordinator.pk).update(is_active=False)
        response = self.approve(proposal, password=FIRST, code=self.cora_code)
        self.assertContains(response, "no longer a coordinator")
        self.assertFalse(Staff.objects.filter(username="nur").exists())

    def test_it_refuses_a_login_with_spaces_before_proposing(self):
        response = self.client.post(
            "/staff/people/", {"username": "nur x", "role": "intake", "code": self.code}
        )
        self.assertContains(response, "Enter a valid username", status_code=400)
        self.assertFalse(Proposal.objects.exists())

    # One coordinator must not be able to make themselves the only one.
    def test_it_keeps_a_coordinators_demotion_pending(self):
        response = self.client.post(
            f"/staff/people/{self.cora.pk}/role/",
            {"role": "auditor", "code": self.code},
            follow=True,
        )
        self.assertContains(response, "Proposed: cora becomes")
        self.assertEqual(Staff.objects.get(pk=self.cora.pk).role, Role.COORDINATOR)
        self.assertTrue(has_index_key(self.cora))

    def test_it_changes_a_role_that_grants_nothing_at_once(self):
        self.client.post(
            f"/staff/people/{self.alice.pk}/role/", {"role": "auditor", "code": self.code}
        )
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).role, Role.AUDITOR)
        self.assertFalse(Proposal.objects.exists())


class OneCoordinatorTestCase(FourEyesBase):
    def shares_approve(self, proposal: Proposal, shares: list[str], **data):
        return self.client.post(
            f"/staff/people/proposals/{proposal.pk}/recovery/",
            {"shares": "\n".join(shares), **data},
            follow=True,
        )

    def test_it_lets_the_trustees_approve_with_their_shares(self):
        proposal = self.propose_account()
        page = self.client.get("/staff/people/")
        self.assertContains(page, "since this organisation has one coordinator")
        too_few = self.shares_approve(proposal, self.shares[:2], password=FIRST)
        self.assertContains(too_few, "The shares were refused")
        self.assertNotContains(too_few, self.shares[0])
        self.assertFalse(Staff.objects.filter(username="nur").exists())
        response = self.shares_approve(proposal, self.shares[1:4], password=FIRST)
        self.assertContains(response, "The trustees approved it.")
        nur = Staff.objects.get(username="nur")
        self.assertTrue(has_index_key(nur))
        staff_login.check_password("nur", FIRST)
        approved = Entry.objects.get(action=Action.CHANGE_APPROVED)
        self.assertEqual(approved.actor, "recovery")

    def test_it_refuses_shares_of_another_organisation(self):
        proposal = self.propose_account()
        _key, others = recovery.generate(3, 5)
        response = self.shares_approve(proposal, others[:3], password=FIRST)
        self.assertContains(response, "rebuild a different key")
        self.assertFalse(Staff.objects.filter(username="nur").exists())

    def test_it_never_sends_the_shares_back(self):
        proposal = self.propose_account()
        response = self.shares_approve(proposal, self.shares[:3], password="")
        self.assertContains(response, "Not approved")
        for share in self.shares[:3]:
            self.assertNotContains(response, share)


@skipUnless(connection.vendor == "postgresql", "row locks are tested on PostgreSQL")
class ConcurrentApprovalTestCase(TransactionTestCase):
    """Two approvals of one reset at the same moment: one is carried out, the other refused."""

    def test_it_carries_out_a_proposal_once_under_concurrent_approvals(self):
        result = services.bootstrap("Race org", "coordinator", PASSWORDS["coordinator"])
        key = services.unlock_private_key(result.coordinator, PASSWORDS["coordinator"])
        first = result.coordinator
        cora = services.add_staff("cora", Role.COORDINATOR, PASSWORDS["cora"], first, key)
        alice = services.add_staff("alice", Role.CASEWORKER, PASSWORDS["alice"], first, key)
        cora_key = services.unlock_private_key(cora, PASSWORDS["cora"])
        proposal = approvals.propose_reset(first, alice)
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def approve(password: str) -> None:
            start.wait()
            try:
                approvals.approve(proposal.pk, cora, cora_key, password)
                outcomes.append("approved")
            except approvals.Refused:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=approve, args=(p,), daemon=True)
            for p in ("alice-race-one-pass-1", "alice-race-two-pass-2")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads), "approvals hung")
        self.assertEqual(sorted(outcomes), ["approved", "refused"])
        self.assertEqual(Entry.objects.filter(action=Action.PASSWORD_RESET).count(), 1)
        self.assertEqual(Entry.objects.filter(action=Action.CHANGE_APPROVED).count(), 1)
