"""Staff sign-in limits: refused before Argon2id when flooded, slowed per (account,
client) instead of locked, and a slowed-down account answers like a wrong password.

Argon2id derivations are counted through crypto.kdf.observe, not timed.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import RequestFactory, override_settings

from accounts import login as staff_login
from accounts import throttle
from accounts.models import Staff
from audit.models import Entry
from crypto import kdf
from crypto import password as password_lock
from tests.base import PASSWORDS, BaseTestCase
from tests.scan import cache_contents

GUESSER = "203.0.113.66"
ALICE_AT_HOME = "198.51.100.7"
# A first wait long enough that no test outlives it.
SLOW = {"first_wait": 600}


def _without_csrf(body: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)


class SignInLimitsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        staff_login._decoy()  # made once per process: not a derivation of these tests
        self.derivations: list[kdf.Argon2Params] = []
        self.addCleanup(kdf.observe(self.derivations.append))

    def attempt(self, address: str, username: str = "alice", password: str = "") -> Any:
        self.derivations.clear()
        return self.client.post(
            "/staff/login/",
            {"username": username, "password": password or "not-alices-password"},
            REMOTE_ADDR=address,
        )

    def alice_params(self) -> kdf.Argon2Params:
        return password_lock.params_of(bytes(self.alice.holder.locked_private_key or b""))

    @override_settings(STAFF_SIGNIN_LIMITS=SLOW)
    def test_it_answers_a_slowed_down_account_exactly_like_a_wrong_password(self):
        wrong = self.attempt(GUESSER)
        self.assertEqual(self.derivations, [self.alice_params()])
        # Now the pair waits: even the right password gets the wrong-password answer,
        # after the same Argon2id (on the decoy), so the wait cannot be seen.
        waiting = self.attempt(GUESSER, password=PASSWORDS["alice"])
        self.assertEqual(self.derivations, [self.alice_params()])
        unknown = self.attempt(GUESSER, username="alicia")
        self.assertEqual(self.derivations, [self.alice_params()])
        self.assertEqual(wrong.status_code, 400)
        self.assertContains(wrong, staff_login.WRONG, status_code=400)
        for other in (waiting, unknown):
            self.assertEqual(other.status_code, wrong.status_code)
            self.assertEqual(
                _without_csrf(other.content),
                _without_csrf(wrong.content).replace(b'value="alice"', b'value="alicia"')
                if other is unknown
                else _without_csrf(wrong.content),
            )
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(STAFF_SIGNIN_LIMITS=SLOW)
    def test_the_real_user_signs_in_from_another_client_while_a_guesser_waits(self):
        for _ in range(8):
            self.assertEqual(self.attempt(GUESSER).status_code, 400)
        self.assertEqual(self.attempt(GUESSER, password=PASSWORDS["alice"]).status_code, 400)
        response = self.attempt(ALICE_AT_HOME, password=PASSWORDS["alice"])
        self.assertEqual(response.status_code, 302)
        self.assertIn(response["Location"], ("/staff/verify/", "/staff/enrol/"))

    @override_settings(STAFF_SIGNIN_LIMITS={"client_attempts": 3})
    def test_it_refuses_a_flood_from_one_client_before_argon2id(self):
        counted = 0
        statuses = []
        for n in range(10):
            response = self.attempt(GUESSER, username=f"name{n}")
            statuses.append(response.status_code)
            counted += len(self.derivations)
        self.assertEqual(counted, 3)
        self.assertEqual(statuses, [400] * 3 + [429] * 7)
        self.assertContains(response, "Too many sign-in attempts", status_code=429)
        # Another client is still served.
        self.assertEqual(self.attempt(ALICE_AT_HOME).status_code, 400)

    @override_settings(STAFF_SIGNIN_LIMITS={"global_attempts": 4, "global_window": 3600})
    def test_it_refuses_a_flood_from_many_clients_before_argon2id(self):
        counted = 0
        statuses = []
        with self.assertLogs("accounts.throttle", "WARNING") as logged:
            for n in range(12):
                statuses.append(self.attempt(f"192.0.2.{n}").status_code)
                counted += len(self.derivations)
        self.assertEqual(len(logged.output), 1)  # once per window, without any address
        self.assertNotIn("192.0.2", logged.output[0])
        self.assertEqual(counted, 4)
        self.assertEqual(statuses, [400] * 4 + [429] * 8)

    @override_settings(STAFF_SIGNIN_LIMITS={"global_attempts": 1, "concurrent_wait": 0})
    def test_attempts_turned_away_while_busy_leave_the_budget_to_the_real_user(self):
        slot = throttle._semaphore(throttle.limits().concurrent)
        slot.acquire()  # a derivation is running: the crowd below is turned away at once
        try:
            statuses = [self.attempt(f"192.0.2.{n}").status_code for n in range(12)]
        finally:
            slot.release()
        self.assertEqual(statuses, [429] * 12)
        self.assertEqual(self.derivations, [])
        response = self.attempt(ALICE_AT_HOME, password=PASSWORDS["alice"])
        self.assertEqual(response.status_code, 302)

    @override_settings(STAFF_SIGNIN_LIMITS={"client_attempts": 1})
    def test_the_password_change_says_try_later_when_flooded(self):
        self.sign_in(self.alice)  # uses up the one attempt of this client
        data = {"current": PASSWORDS["alice"], "new": "a-new-pass-4kq9", "again": "a-new-pass-4kq9"}
        # The step-up code is checked first, so the flood is what refuses this one.
        response = self.client.post(
            "/staff/password/", {**data, "code": self.totp_code(self.alice)}
        )
        self.assertContains(response, "Too many sign-in attempts", status_code=400)

    def test_each_wrong_password_doubles_the_wait_and_the_right_one_ends_it(self):
        client = throttle.client_of(RequestFactory().post("/", REMOTE_ADDR=GUESSER))
        waits = [throttle.wrong_password(client, "alice") for _ in range(5)]
        self.assertEqual(waits, [1, 2, 4, 8, 16])
        self.assertEqual(throttle.failures(client, "alice"), 5)
        self.assertEqual(throttle.failures(client, "bob"), 0)
        throttle.right_password(client, "alice")
        self.assertEqual(throttle.failures(client, "alice"), 0)

    @override_settings(STAFF_SIGNIN_LIMITS=SLOW)
    def test_it_keeps_no_address_or_name_in_the_cache_or_the_database(self):
        self.attempt(GUESSER)
        self.attempt(GUESSER, username="someone-else")
        stored = repr(cache_contents())
        self.assertIn("signin:", stored)
        for clear in (GUESSER, "alice", "someone-else"):
            self.assertNotIn(clear, stored)
        self.assertNotIn(GUESSER, repr(list(Entry.objects.values_list())))
        self.assertNotIn(GUESSER, repr(list(Staff.objects.values_list())))

    @override_settings(
        CACHES={
            "default": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            }
        }
    )
    def test_it_still_signs_in_when_the_cache_is_down(self):
        throttle.forget_local_counters()
        with self.assertLogs("accounts.throttle", "WARNING"):
            response = self.attempt(ALICE_AT_HOME, password=PASSWORDS["alice"])
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self.derivations), 1)
