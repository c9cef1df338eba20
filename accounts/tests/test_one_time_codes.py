"""A TOTP code or a backup code is accepted once, even by two requests at the same moment.

Each thread has its own database connection and transaction, as two web workers
would; a barrier releases them together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase
from django_otp.oath import totp

from accounts import second_factor, services
from accounts.models import BackupCodes, Role, SealedTOTPDevice

PASSWORD = "alice-pass-7d2m-xq"
THREADS = 4


@skipUnless(
    connection.vendor == "postgresql",
    "needs row locks and concurrent connections: SQLite has neither (CI runs PostgreSQL too)",
)
class ConcurrentCodesTestCase(TransactionTestCase):
    def setUp(self) -> None:
        self.alice = services.create_staff("alice", Role.CASEWORKER, PASSWORD)
        self.key = services.unlock_private_key(self.alice, PASSWORD)

    def race(self, prepare: Callable[[], Callable[[], bool]]) -> list[bool]:
        """In THREADS threads: prepare (load what a request loads), wait for all, then
        check the code at once. Returns whether each thread's check accepted it."""
        barrier = threading.Barrier(THREADS)
        results: list[bool] = []
        errors: list[BaseException] = []

        def run() -> None:
            try:
                attempt = prepare()
                barrier.wait(timeout=30)
                results.append(attempt())
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        return results

    def test_it_accepts_a_totp_code_once_under_concurrent_requests(self):
        device, _ = second_factor.enrol_totp(self.alice, confirmed=True)
        code = f"{totp(second_factor.totp_seed(device, self.key)):06d}"

        def prepare() -> Callable[[], bool]:
            # Each request loads the device, then checks the code (as the views do).
            mine = SealedTOTPDevice.objects.select_related("holder").get(pk=device.pk)
            return lambda: second_factor.verify_totp(mine, self.key, code)

        for _round in range(3):
            SealedTOTPDevice.objects.filter(pk=device.pk).update(
                last_t=-1, throttling_failure_count=0
            )
            self.assertEqual(sorted(self.race(prepare)), [False] * (THREADS - 1) + [True])

    def test_it_accepts_a_backup_code_once_under_concurrent_requests(self):
        second_factor.enrol_totp(self.alice, confirmed=True)
        codes = second_factor.make_backup_codes(self.alice)
        for code in codes[:5]:
            BackupCodes.objects.filter(user=self.alice).update(throttling_failure_count=0)

            def prepare(code: str = code) -> Callable[[], bool]:
                return lambda: (
                    second_factor.verify_backup_code(self.alice, self.key, code) is not None
                )

            self.assertEqual(sorted(self.race(prepare)), [False] * (THREADS - 1) + [True])
        self.assertEqual(len(BackupCodes.objects.get(user=self.alice).digests), len(codes) - 5)
