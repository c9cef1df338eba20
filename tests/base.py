"""A shared base test case: a bootstrapped organisation, one intake caseworker
(Ines) and two caseworkers, Alice and Bob, so every feature can be tested for
"Bob cannot see Alice's data".

Key pairs cost an Argon2id derivation (about 0.2 s) each, so they are made once
per test class.
"""

from __future__ import annotations

from django.core.cache import cache
from django.test import TestCase
from django_otp.oath import totp

import crypto
from accounts import second_factor, services
from accounts.models import Organisation, Role, SealedTOTPDevice, Staff
from intake import notices, ratelimit

PASSWORDS = {
    "coordinator": "coordinator-pass-9f3k",
    "ines": "ines-pass-2k9d-intake",
    "alice": "alice-pass-7d2m-xq",
    "bob": "bob-pass-4h8w-zr",
    "rui": "rui-reviewer-pass-5t",
    "ada": "ada-auditor-pass-8m",
    "cora": "cora-second-coordinator-3v",
}


class BaseTestCase(TestCase):
    org: Organisation
    shares: list[str]
    coordinator: Staff
    ines: Staff
    alice: Staff
    bob: Staff
    _private_keys: dict[int, bytes]

    @classmethod
    def setUpTestData(cls) -> None:
        result = services.bootstrap("Test org", "coordinator", PASSWORDS["coordinator"])
        cls.org = result.organisation
        cls.shares = result.shares
        cls.coordinator = result.coordinator
        coordinator_key = services.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        staff = {}
        for username, role in (
            ("ines", Role.INTAKE),
            ("alice", Role.CASEWORKER),
            ("bob", Role.CASEWORKER),
        ):
            staff[username] = services.add_staff(
                username, role, PASSWORDS[username], cls.coordinator, coordinator_key
            )
        cls.ines, cls.alice, cls.bob = staff["ines"], staff["alice"], staff["bob"]
        # Raw bytes, not key objects: Django deep-copies class data per test.
        cls._private_keys = {cls.coordinator.pk: coordinator_key.to_bytes()}

    def setUp(self) -> None:
        # Rate-limit counters live in the cache (or, while it is down, in this process).
        cache.clear()
        # Each test starts with the notice dispatcher not yet woken by this process.
        notices.dispatcher.reset()
        ratelimit.reset()

    def private_key(self, staff: Staff) -> crypto.PrivateKey:
        """The staff member's unlocked private key (unlocked once per class)."""
        if staff.pk not in self._private_keys:
            key = services.unlock_private_key(staff, PASSWORDS[staff.username])
            self._private_keys[staff.pk] = key.to_bytes()
        return crypto.PrivateKey.from_bytes(self._private_keys[staff.pk])

    def sign_in(self, staff: Staff) -> None:
        """The real sign-in: password (unlocks the key), then a TOTP code."""
        device = SealedTOTPDevice.objects.filter(user=staff, confirmed=True).first()
        if device is None:
            device, _ = second_factor.enrol_totp(staff, confirmed=True)
        self.client.post(
            "/staff/login/", {"username": staff.username, "password": PASSWORDS[staff.username]}
        )
        response = self.client.post("/staff/verify/", {"code": self.totp_code(staff)})
        assert response.status_code == 302, response.content[:500]

    def totp_code(self, staff: Staff) -> str:
        device = SealedTOTPDevice.objects.get(user=staff, confirmed=True)
        seed = second_factor.totp_seed(device, self.private_key(staff))
        # The next time step: a code is accepted once, and sign-in used the current one.
        return f"{totp(seed, t0=-30 if device.last_t >= 0 else 0):06d}"
