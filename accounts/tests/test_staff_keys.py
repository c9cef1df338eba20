import base64

from django.core.exceptions import ValidationError
from django_otp.oath import totp

import crypto
from accounts import keyring, second_factor, services
from accounts.models import KeyHolder, OrganisationKey, Role, SealedTOTPDevice
from crypto import password as password_lock
from tests.base import PASSWORDS, BaseTestCase


class StaffKeysTestCase(BaseTestCase):
    def test_it_stores_the_private_key_only_locked(self):
        holder = self.alice.holder
        locked = bytes(holder.locked_private_key or b"")
        key = self.private_key(self.alice)
        self.assertNotIn(key.to_bytes()[5:], locked)
        self.assertEqual(key.public_key(), holder.public)

    def test_it_locks_with_argon2id_at_the_floor_or_above(self):
        params = password_lock.params_of(bytes(self.alice.holder.locked_private_key or b""))
        self.assertGreaterEqual(params.memory_kib, 64 * 1024)
        self.assertGreaterEqual(params.iterations, 3)

    def test_it_refuses_a_wrong_password(self):
        with self.assertRaises(services.WrongPassword):
            services.unlock_private_key(self.alice, PASSWORDS["bob"])

    def test_it_gives_every_staff_member_their_own_key_pair(self):
        self.assertNotEqual(self.alice.holder.fingerprint, self.bob.holder.fingerprint)
        staff = [self.coordinator, self.ines, self.alice, self.bob]
        holders = KeyHolder.objects.filter(kind=KeyHolder.Kind.STAFF)
        self.assertEqual(set(holders.values_list("id", flat=True)), {s.holder_id for s in staff})

    def test_it_grants_the_index_key_to_new_staff(self):
        index = OrganisationKey.Purpose.INDEX
        alice_key = self.private_key(self.alice)
        self.assertEqual(
            services.open_org_key(index, self.alice.holder, alice_key),
            services.open_org_key(
                index, self.coordinator.holder, self.private_key(self.coordinator)
            ),
        )

    def test_it_gives_no_index_key_to_auditors_or_reviewers(self):
        coordinator_key = self.private_key(self.coordinator)
        for username, role in (("ada", Role.AUDITOR), ("rui", Role.REVIEWER)):
            staff = services.add_staff(
                username, role, "a-long-enough-pass-8x", self.coordinator, coordinator_key
            )
            self.assertFalse(OrganisationKey.objects.filter(holder=staff.holder).exists())

    def test_bob_cannot_open_alices_index_key_wrapping(self):
        bob_key = self.private_key(self.bob)
        row = OrganisationKey.objects.get(holder=self.alice.holder, purpose="index")
        info = services.org_key_info(row.purpose, self.alice.holder)
        with self.assertRaises(crypto.DecryptionError):
            crypto.unwrap(bytes(row.wrapped), bob_key, info)

    def test_it_refuses_a_weak_password(self):
        with self.assertRaises(ValidationError):
            services.create_staff("carol", Role.INTAKE, "short")
        self.assertFalse(type(self.alice).objects.filter(username="carol").exists())

    def test_it_refuses_an_unknown_role(self):
        with self.assertRaises(ValueError):
            services.create_staff("carol", "superuser", "a-long-enough-pass-8x")


class TOTPTestCase(BaseTestCase):
    def test_it_stores_the_seed_wrapped_not_in_clear(self):
        device, secret = second_factor.enrol_totp(self.alice)
        seed = base64.b32decode(secret)
        stored = SealedTOTPDevice.objects.get(pk=device.pk)
        self.assertNotIn(seed, bytes(stored.sealed_seed))
        self.assertNotIn(secret.encode(), bytes(stored.sealed_seed))

    def test_it_verifies_a_current_code_with_the_unlocked_key(self):
        device, secret = second_factor.enrol_totp(self.alice, confirmed=True)
        code = f"{totp(base64.b32decode(secret)):06d}"
        key = self.private_key(self.alice)
        self.assertTrue(second_factor.verify_totp(device, key, code))
        # A code is accepted once only.
        self.assertFalse(second_factor.verify_totp(device, key, code))

    def test_it_refuses_a_wrong_code(self):
        device, _ = second_factor.enrol_totp(self.alice, confirmed=True)
        key = self.private_key(self.alice)
        self.assertFalse(second_factor.verify_totp(device, key, "000000x"))
        device.refresh_from_db()
        self.assertEqual(device.throttling_failure_count, 1)

    def test_bob_cannot_read_alices_seed(self):
        device, _ = second_factor.enrol_totp(self.alice, confirmed=True)
        bob_key = self.private_key(self.bob)
        with self.assertRaises(crypto.DecryptionError):
            second_factor.verify_totp(device, bob_key, "123456")

    def test_the_device_cannot_verify_without_the_key(self):
        device, secret = second_factor.enrol_totp(self.alice, confirmed=True)
        self.assertFalse(device.verify_token(f"{totp(base64.b32decode(secret)):06d}"))

    def test_it_gives_the_triaging_roles_every_organisation_key(self):
        # The blind-index key and the recipient register's, each wrapped to the holder.
        for staff in (self.alice, self.bob):
            purposes = OrganisationKey.objects.filter(holder=staff.holder)
            self.assertEqual(set(purposes.values_list("purpose", flat=True)), {"index", "register"})
            for row in purposes:
                key = keyring.unwrap(row, self.private_key(staff))
                self.assertEqual(len(key), 32)
