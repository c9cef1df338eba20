import io
import re
import tempfile
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

import crypto
from accounts import services
from accounts.models import KeyHolder, Organisation, OrganisationKey, Staff
from crypto import recovery

PASSWORD = "first-coordinator-pass-3q"


def parse_shares(output: str) -> list[str]:
    """Read the shares back from the printed sheet, as a trustee would type them."""
    shares: list[list[str]] = []
    current: list[str] | None = None
    for line in output.splitlines():
        if re.match(r"^Share \d+:$", line):
            current = []
            shares.append(current)
        elif current is not None and line.startswith("    "):
            current.extend(line.split())
        else:
            current = None
    return [" ".join(words) for words in shares]


class BootstrapTestCase(TestCase):
    def run_bootstrap(self, tmp_path_password=PASSWORD, **extra) -> str:
        out = io.StringIO()
        with mock.patch("getpass.getpass", return_value=tmp_path_password):
            call_command("bootstrap", "--username", "amina", stdout=out, **extra)
        return out.getvalue()

    def test_it_creates_exactly_one_organisation(self):
        self.run_bootstrap()
        self.assertEqual(Organisation.objects.count(), 1)
        coordinator = Staff.objects.get()
        self.assertEqual(coordinator.username, "amina")
        self.assertEqual(coordinator.role, "coordinator")
        self.assertEqual(KeyHolder.objects.filter(kind="recovery").count(), 1)

    def test_it_refuses_a_second_time(self):
        self.run_bootstrap()
        with self.assertRaisesMessage(CommandError, "already has an organisation"):
            self.run_bootstrap()
        self.assertEqual(Organisation.objects.count(), 1)
        self.assertEqual(Staff.objects.count(), 1)

    def test_it_prints_shares_that_rebuild_the_recovery_key(self):
        output = self.run_bootstrap()
        shares = parse_shares(output)
        self.assertEqual(len(shares), 5)
        rebuilt = recovery.recover([shares[0], shares[2], shares[4]])
        org = Organisation.objects.get()
        self.assertEqual(rebuilt.public_key(), org.recovery_holder.public)
        with self.assertRaises(crypto.RecoveryError):
            recovery.recover(shares[:2])

    def test_it_never_stores_the_recovery_private_key_or_shares(self):
        output = self.run_bootstrap()
        shares = parse_shares(output)
        org = Organisation.objects.get()
        self.assertIsNone(org.recovery_holder.locked_private_key)
        private = recovery.recover(shares[:3]).to_bytes()
        for holder in KeyHolder.objects.all():
            for blob in (holder.public_key, holder.locked_private_key or b""):
                self.assertNotIn(private[5:], bytes(blob))
        first_words = " ".join(shares[0].split()[:4])
        for model in (Organisation, KeyHolder, OrganisationKey, Staff):
            for row in model.objects.values():
                self.assertNotIn(first_words, repr(row))

    def test_it_wraps_the_index_key_to_coordinator_and_recovery_key(self):
        output = self.run_bootstrap()
        recovery_key = recovery.recover(parse_shares(output)[1:4])
        org = Organisation.objects.get()
        coordinator = Staff.objects.get()
        coordinator_key = services.unlock_private_key(coordinator, PASSWORD)
        index = OrganisationKey.Purpose.INDEX
        from_coordinator = services.open_org_key(index, coordinator.holder, coordinator_key)
        from_recovery = services.open_org_key(index, org.recovery_holder, recovery_key)
        self.assertEqual(from_coordinator, from_recovery)
        self.assertEqual(len(from_coordinator), 32)

    def test_it_reads_the_password_from_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as handle:
            handle.write(PASSWORD + "\n")
            handle.flush()
            call_command(
                "bootstrap",
                "--username",
                "amina",
                "--password-file",
                handle.name,
                stdout=io.StringIO(),
            )
        services.unlock_private_key(Staff.objects.get(), PASSWORD)

    def test_it_explains_a_missing_password_file(self):
        with self.assertRaisesMessage(CommandError, "Cannot read --password-file"):
            call_command(
                "bootstrap",
                "--username",
                "amina",
                "--password-file",
                "/nonexistent/pw",
                stdout=io.StringIO(),
            )
        self.assertFalse(Organisation.objects.exists())

    def test_it_refuses_a_weak_password_and_creates_nothing(self):
        with self.assertRaisesMessage(CommandError, "Password refused"):
            self.run_bootstrap("1234")
        self.assertFalse(Organisation.objects.exists())
        self.assertFalse(KeyHolder.objects.exists())

    def test_it_refuses_two_different_passwords(self):
        with mock.patch("getpass.getpass", side_effect=[PASSWORD, PASSWORD + "x"]):
            with self.assertRaisesMessage(CommandError, "differ"):
                call_command("bootstrap", "--username", "amina", stdout=io.StringIO())
        self.assertFalse(Organisation.objects.exists())

    def test_it_refuses_a_threshold_above_the_share_count(self):
        with self.assertRaisesMessage(CommandError, "threshold"):
            self.run_bootstrap(threshold=4, shares=3)
