import base64
import re
import time
from datetime import timedelta
from typing import Any

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone
from django_otp.oath import totp

import crypto
from accounts import login as staff_login
from accounts import second_factor, session_keys
from accounts.models import SealedTOTPDevice, Staff
from accounts.tasks import clear_expired_sessions
from audit.models import Action, Entry
from tests.base import PASSWORDS, BaseTestCase


class LoginTestCase(BaseTestCase):
    def password_step(self, username="alice", password=None):
        return self.client.post(
            "/staff/login/", {"username": username, "password": password or PASSWORDS[username]}
        )

    def code_for(self, staff) -> str:
        device = SealedTOTPDevice.objects.get(user=staff, confirmed=True)
        seed = second_factor.totp_seed(device, self.private_key(staff))
        return f"{totp(seed):06d}"

    def sign_in(self, staff):
        second_factor.enrol_totp(staff, confirmed=True)
        self.assertRedirects(self.password_step(staff.username), "/staff/verify/")
        response = self.client.post("/staff/verify/", {"code": self.code_for(staff)})
        self.assertRedirects(response, "/staff/", fetch_redirect_response=False)

    def test_it_keeps_no_password_hash(self):
        self.assertFalse(Staff.objects.get(pk=self.alice.pk).has_usable_password())

    def test_the_password_step_alone_never_reaches_the_staff_area(self):
        second_factor.enrol_totp(self.alice, confirmed=True)
        self.assertRedirects(self.password_step(), "/staff/verify/")
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")

    def test_it_signs_in_with_password_and_totp(self):
        self.sign_in(self.alice)
        response = self.client.get("/staff/")
        self.assertContains(response, "Signed in as alice")
        self.assertEqual(
            list(
                Entry.objects.filter(actor=f"staff:{self.alice.pk}").values_list(
                    "action", flat=True
                )
            ),
            [Action.KEY_UNLOCKED, Action.LOGIN],
        )

    def test_it_refuses_a_wrong_code(self):
        second_factor.enrol_totp(self.alice, confirmed=True)
        self.password_step()
        response = self.client.post("/staff/verify/", {"code": "000000"})
        self.assertContains(response, "wrong or was already used", status_code=400)
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")

    def test_a_backup_code_works_once(self):
        second_factor.enrol_totp(self.alice, confirmed=True)
        codes = second_factor.make_backup_codes(self.alice)
        self.password_step()
        self.assertRedirects(
            self.client.post("/staff/verify/", {"code": codes[0]}),
            "/staff/",
            fetch_redirect_response=False,
        )
        self.client.post("/staff/logout/")
        self.password_step()
        response = self.client.post("/staff/verify/", {"code": codes[0]})
        self.assertEqual(response.status_code, 400)

    def test_backup_codes_are_not_stored_in_clear(self):
        codes = second_factor.make_backup_codes(self.alice)
        stored = repr(list(self.alice.backupcodes_set.values()))
        for code in codes:
            self.assertNotIn(code.replace("-", ""), stored)

    def test_a_first_sign_in_must_enrol_a_second_factor(self):
        self.assertRedirects(self.password_step(), "/staff/enrol/")
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")
        page = self.client.get("/staff/enrol/")
        self.assertContains(page, "<svg")
        found = re.search(rb"<code dir=\"ltr\">([A-Z2-7]+)</code>", page.content)
        assert found is not None
        secret = found.group(1)
        seed = base64.b32decode(secret + b"=" * (-len(secret) % 8))
        response = self.client.post("/staff/enrol/", {"code": f"{totp(seed):06d}"})
        self.assertContains(response, "Your backup codes")
        self.assertTrue(SealedTOTPDevice.objects.get(user=self.alice).confirmed)
        self.assertContains(self.client.get("/staff/"), "Signed in as alice")

    def test_logout_destroys_the_session_key(self):
        self.sign_in(self.alice)
        session_key = self.client.session.session_key
        assert session_key is not None
        response = self.client.post("/staff/logout/")
        self.assertEqual(response.cookies[session_keys.COOKIE].value, "")
        self.assertFalse(SessionStore().exists(session_key))
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")

    def test_a_stolen_session_row_without_the_cookie_opens_nothing(self):
        self.sign_in(self.alice)
        stolen = SessionStore(session_key=self.client.session.session_key).load()
        self.assertIn(session_keys.SESSION_FIELD, stolen)
        self.assertNotIn(self.private_key(self.alice).to_bytes()[5:], repr(stolen).encode())
        request: Any = RequestFactory().get("/staff/")
        request.session = stolen
        self.assertIsNone(session_keys.load(request, self.alice.pk))
        request.COOKIES[session_keys.COOKIE] = base64.urlsafe_b64encode(crypto.new_key()).decode()
        self.assertIsNone(session_keys.load(request, self.alice.pk))
        # The browser without its key cookie is sent back to sign in.
        del self.client.cookies[session_keys.COOKIE]
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")

    def test_the_cookie_and_the_session_together_open_the_key(self):
        self.sign_in(self.alice)
        request = RequestFactory().get("/staff/")
        request.session = self.client.session
        request.COOKIES[session_keys.COOKIE] = self.client.cookies[session_keys.COOKIE].value
        key = session_keys.load(request, self.alice.pk)
        assert key is not None
        self.assertEqual(key.public_key(), self.alice.holder.public)

    def test_repeated_wrong_passwords_do_not_lock_the_account(self):
        # Anyone could lock anyone out; the wait grows per (account, client) instead
        # (accounts/tests/test_signin_limits.py), and ends with the right password.
        for _ in range(6):
            self.assertContains(
                self.password_step(password="wrong-password-1"),
                "Wrong username or password",
                status_code=400,
            )
        self.assertRedirects(
            self.client.post(
                "/staff/login/",
                {"username": "alice", "password": PASSWORDS["alice"]},
                REMOTE_ADDR="198.51.100.7",
            ),
            "/staff/enrol/",
            fetch_redirect_response=False,
        )

    def test_an_unknown_user_gets_the_same_answer(self):
        response = self.password_step(username="nobody", password="whatever-password")
        self.assertContains(response, "Wrong username or password", status_code=400)

    def test_it_ends_an_idle_session(self):
        self.sign_in(self.alice)
        session = self.client.session
        session["last_seen"] = time.time() - 31 * 60
        session.save()
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")

    def test_it_ends_a_session_after_twelve_hours(self):
        self.sign_in(self.alice)
        session = self.client.session
        session["login_at"] = time.time() - 12 * 3600 - 1
        session.save()
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")

    def test_changing_the_password_relocks_the_same_key(self):
        key = self.private_key(self.alice)
        staff_login.change_password(self.alice, key, "a-new-password-for-alice")
        _, unlocked = staff_login.check_password("alice", "a-new-password-for-alice")
        self.assertEqual(unlocked.public_key(), key.public_key())
        with self.assertRaises(staff_login.LoginRefused):
            staff_login.check_password("alice", PASSWORDS["alice"])


class SessionExpiryTestCase(BaseTestCase):
    def test_expired_sessions_and_their_sealed_keys_are_deleted(self):
        self.sign_in(self.alice)
        self.assertEqual(Session.objects.count(), 1)
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
        clear_expired_sessions.apply()
        self.assertFalse(Session.objects.exists())

    def test_a_staff_session_lasts_thirty_idle_minutes(self):
        self.sign_in(self.alice)
        remaining = (Session.objects.get().expire_date - timezone.now()).total_seconds()
        self.assertLessEqual(remaining, 30 * 60)
        self.assertGreater(remaining, 29 * 60)
