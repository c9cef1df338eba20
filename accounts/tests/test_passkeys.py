"""Passkeys (WebAuthn) as a second factor: registration after a fresh step-up, the
second sign-in step for the staff member the password step left pending (and only
them), step-up, removal, audit entries, and 4xx for every malformed request."""

from __future__ import annotations

import json
import re
import time

from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, override_settings
from django.urls import NoReverseMatch, get_resolver, reverse
from django_otp_webauthn import views as plugin_views
from django_otp_webauthn.models import WebAuthnCredential

from accounts import people, second_factor, session_keys, signin
from accounts.models import Role, SealedTOTPDevice, Staff
from audit import chain
from audit.models import Action, Entry
from tests.base import PASSWORDS, BaseTestCase
from tests.webauthn import SoftAuthenticator, b64url

REGISTER = "/staff/passkeys/register/"
SIGN_IN = "/staff/passkeys/sign-in/"
STEP_UP = "/staff/passkeys/step-up/"


class PasskeyTestCase(BaseTestCase):
    def totp_code(self, staff) -> str:
        # These tests sign in and step up many times within one 30-second step; the
        # one-use rule for codes is tested in test_login.
        SealedTOTPDevice.objects.filter(user=staff).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        return super().totp_code(staff)

    def post_json(self, url: str, data=None, client=None):
        body = "" if data is None else json.dumps(data)
        return (client or self.client).post(url, body, content_type="application/json")

    def step_up_with_code(self, staff) -> None:
        response = self.client.post("/staff/security/", {"code": self.totp_code(staff)})
        self.assertRedirects(response, "/staff/security/", fetch_redirect_response=False)

    def expire_step_up(self) -> None:
        session = self.client.session
        session["stepped_up_at"] = 0
        session.save()

    def register(self, staff, authenticator=None) -> SoftAuthenticator:
        """Sign in, step up, add a passkey, sign out."""
        authenticator = authenticator or SoftAuthenticator()
        self.sign_in(staff)
        self.step_up_with_code(staff)
        options = self.post_json(REGISTER + "begin/").json()
        response = self.post_json(REGISTER + "complete/", authenticator.create(options))
        self.assertEqual(response.status_code, 200, response.content)
        self.client.post("/staff/logout/")
        return authenticator

    def password_step(self, staff) -> None:
        response = self.client.post(
            "/staff/login/", {"username": staff.username, "password": PASSWORDS[staff.username]}
        )
        self.assertRedirects(response, "/staff/verify/")

    def passkey_step(self, authenticator):
        options = self.post_json(SIGN_IN + "begin/")
        self.assertEqual(options.status_code, 200, options.content)
        return self.post_json(SIGN_IN + "complete/", authenticator.get(options.json()))

    def actions_of(self, staff) -> list[str]:
        return list(
            Entry.objects.filter(actor=chain.staff_actor(staff)).values_list("action", flat=True)
        )

    def assert_signed_out(self) -> None:
        self.assertRedirects(self.client.get("/staff/"), "/staff/login/")


class RegistrationTestCase(PasskeyTestCase):
    def test_it_needs_a_fresh_step_up(self):
        self.sign_in(self.alice)
        refused = self.post_json(REGISTER + "begin/")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["code"], "step_up_required")
        self.step_up_with_code(self.alice)
        options = self.post_json(REGISTER + "begin/").json()
        self.assertEqual(options["rp"]["id"], "localhost")
        self.expire_step_up()
        # The step-up is checked again when the ceremony completes.
        late = self.post_json(REGISTER + "complete/", SoftAuthenticator().create(options))
        self.assertEqual(late.status_code, 403)
        self.assertFalse(WebAuthnCredential.objects.exists())

    def test_it_registers_and_audits_a_passkey(self):
        self.register(self.alice)
        credential = WebAuthnCredential.objects.get()
        self.assertEqual(credential.user_id, self.alice.pk)
        self.assertTrue(credential.confirmed)
        entry = Entry.objects.get(action=Action.PASSKEY_REGISTERED)
        self.assertEqual(entry.actor, chain.staff_actor(self.alice))
        self.assertEqual(entry.subjects, [str(self.alice.pk), str(credential.pk)])
        self.assertTrue(chain.verify().ok)

    def test_nobody_registers_without_a_signed_in_session(self):
        self.assertEqual(self.post_json(REGISTER + "begin/").status_code, 403)
        self.assertEqual(self.post_json(REGISTER + "complete/", {}).status_code, 403)
        # Half signed in (password only) is not signed in.
        second_factor.enrol_totp(self.alice, confirmed=True)
        self.password_step(self.alice)
        self.assertEqual(self.post_json(REGISTER + "begin/").status_code, 403)

    def test_a_credential_id_is_registered_once(self):
        authenticator = self.register(self.alice)
        self.sign_in(self.bob)
        self.step_up_with_code(self.bob)
        options = self.post_json(REGISTER + "begin/").json()
        again = self.post_json(REGISTER + "complete/", authenticator.create(options))
        self.assertEqual(again.status_code, 422)
        self.assertEqual(WebAuthnCredential.objects.get().user_id, self.alice.pk)

    def test_an_answer_for_another_site_is_refused(self):
        self.sign_in(self.alice)
        self.step_up_with_code(self.alice)
        options = self.post_json(REGISTER + "begin/").json()
        phished = SoftAuthenticator(origin="https://amanat.example.net")
        response = self.post_json(REGISTER + "complete/", phished.create(options))
        self.assertEqual(response.status_code, 422)
        self.assertFalse(WebAuthnCredential.objects.exists())

    def test_the_security_page_offers_it_without_inline_script(self):
        self.sign_in(self.alice)
        page = self.client.get("/staff/security/")
        self.assertNotContains(page, "passkey-register-button")
        self.step_up_with_code(self.alice)
        page = self.client.get("/staff/security/")
        self.assertContains(page, 'id="passkey-register-button"')
        self.assertContains(page, "django_otp_webauthn/otp_webauthn_register.js")
        config = re.search(
            rb'<script id="otp_webauthn_config" type="application/json">(.*?)</script>',
            page.content,
        )
        assert config is not None
        self.assertEqual(json.loads(config.group(1))["beginRegistrationUrl"], REGISTER + "begin/")
        for tag in re.findall(rb"<script[^>]*>", page.content):
            self.assertTrue(b" src=" in tag or b'type="application/json"' in tag, tag)
        policy = page["Content-Security-Policy"]
        self.assertIn("connect-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)

    def test_the_scripts_and_their_messages_are_served_here(self):
        for path in (
            "/static/django_otp_webauthn/otp_webauthn_auth.js",
            "/static/django_otp_webauthn/otp_webauthn_register.js",
            "/static/js/passkeys.js",
        ):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            # Reading the stream to its end closes the file the way the test client expects.
            self.assertTrue(response.getvalue(), path)
        messages = self.client.get("/staff/passkeys/messages.js")
        self.assertEqual(messages.status_code, 200)
        self.assertIn("gettext", messages.content.decode())


class SignInTestCase(PasskeyTestCase):
    def test_password_then_passkey_signs_in(self):
        authenticator = self.register(self.alice)
        self.password_step(self.alice)
        page = self.client.get("/staff/verify/")
        self.assertContains(page, 'id="passkey-verification-button"')
        self.assertIn("connect-src 'self'", page["Content-Security-Policy"])
        before = Entry.objects.count()
        response = self.passkey_step(authenticator)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["redirect_url"], "/staff/")
        self.assertContains(self.client.get("/staff/"), "Signed in as alice")
        session = self.client.session
        self.assertNotIn(signin.PENDING, session)
        self.assertAlmostEqual(session["login_at"], time.time(), delta=60)
        self.assertIn("last_seen", session)
        credential = WebAuthnCredential.objects.get()
        self.assertEqual(session["otp_device_id"], credential.persistent_id)
        self.assertEqual(
            list(Entry.objects.filter(sequence__gt=before).values_list("action", flat=True)),
            [Action.LOGIN],
        )
        credential.refresh_from_db()
        self.assertEqual(credential.sign_count, authenticator.sign_count)

    def test_bobs_passkey_cannot_finish_alices_sign_in(self):
        self.register(self.alice)
        bobs = self.register(self.bob)
        self.password_step(self.alice)
        options = self.post_json(SIGN_IN + "begin/").json()
        offered = [c["id"] for c in options["allowCredentials"]]
        self.assertNotIn(b64url(bobs.credential_id), offered)
        response = self.post_json(SIGN_IN + "complete/", bobs.get(options))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "credential_user_mismatch")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assert_signed_out()
        self.assertEqual(self.actions_of(self.alice)[-1], Action.LOGIN_FAILED)
        self.assertNotIn(Action.LOGIN, self.actions_of(self.bob)[-2:])

    def test_a_passkey_alone_never_reaches_the_staff_area(self):
        authenticator = self.register(self.alice)
        self.client.cookies.clear()
        self.assertEqual(self.post_json(SIGN_IN + "begin/").status_code, 403)
        self.assertEqual(self.post_json(STEP_UP + "begin/").status_code, 403)
        # Even with a challenge in the session and a valid answer to it, there is no one
        # to sign in: the ceremony's user comes from the password step only.
        challenge = b64url(b"x" * 32)
        for ceremony in (SIGN_IN, STEP_UP):
            session = self.client.session
            session["otp_webauthn_authentication_state"] = {
                "challenge": challenge,
                "require_user_verification": False,
            }
            session.save()
            answer = authenticator.get({"challenge": challenge, "rpId": "localhost"})
            self.assertEqual(self.post_json(ceremony + "complete/", answer).status_code, 403)
            self.assert_signed_out()

    def test_the_plugins_own_views_are_not_mounted(self):
        with self.assertRaises(NoReverseMatch):
            reverse("otp_webauthn:credential-authentication-complete")
        plugin_classes = {
            plugin_views.BeginCredentialRegistrationView,
            plugin_views.CompleteCredentialRegistrationView,
            plugin_views.BeginCredentialAuthenticationView,
            plugin_views.CompleteCredentialAuthenticationView,
        }

        def views(patterns):
            for pattern in patterns:
                if hasattr(pattern, "url_patterns"):
                    yield from views(pattern.url_patterns)
                else:
                    yield getattr(pattern.callback, "view_class", None)

        self.assertFalse(plugin_classes & set(views(get_resolver().url_patterns)))

    def test_a_stale_password_step_is_not_finished_by_a_passkey(self):
        authenticator = self.register(self.alice)
        self.password_step(self.alice)
        options = self.post_json(SIGN_IN + "begin/").json()
        session = self.client.session
        session["pending_at"] = time.time() - signin.PENDING_SECONDS - 1
        session.save()
        response = self.post_json(SIGN_IN + "complete/", authenticator.get(options))
        self.assertEqual(response.status_code, 403)
        self.assert_signed_out()

    def test_an_answer_is_accepted_once(self):
        authenticator = self.register(self.alice)
        self.password_step(self.alice)
        options = self.post_json(SIGN_IN + "begin/").json()
        answer = authenticator.get(options)
        # A replay into a new half-signed-in session: its challenge was used up.
        self.client.cookies.clear()
        self.password_step(self.alice)
        self.assertEqual(self.post_json(SIGN_IN + "complete/", answer).status_code, 400)
        self.assert_signed_out()

    def test_a_cloned_authenticator_is_refused(self):
        authenticator = self.register(self.alice)
        self.password_step(self.alice)
        self.assertEqual(self.passkey_step(authenticator).status_code, 200)
        self.client.post("/staff/logout/")
        authenticator.sign_count = 0  # a copy of the key that has not counted its uses
        self.password_step(self.alice)
        self.assertEqual(self.passkey_step(authenticator).status_code, 422)
        self.assert_signed_out()
        self.assertEqual(self.actions_of(self.alice)[-1], Action.LOGIN_FAILED)

    def test_a_phished_answer_is_refused(self):
        self.register(self.alice)
        credential = WebAuthnCredential.objects.get()
        self.password_step(self.alice)
        options = self.post_json(SIGN_IN + "begin/").json()
        relayed = SoftAuthenticator(origin="https://amanat.example.net")
        relayed.credential_id = bytes(credential.credential_id)
        response = self.post_json(SIGN_IN + "complete/", relayed.get(options))
        self.assertEqual(response.status_code, 422)
        self.assert_signed_out()

    def test_without_a_passkey_the_page_offers_none(self):
        second_factor.enrol_totp(self.alice, confirmed=True)
        self.password_step(self.alice)
        self.assertNotContains(self.client.get("/staff/verify/"), "passkey-verification-button")
        refused = self.post_json(SIGN_IN + "begin/")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["code"], "no_passkey")

    def test_a_password_reset_drops_the_passkeys(self):
        self.register(self.alice)
        people.reset_password(self.coordinator, self.alice, "alice-new-pass-99x")
        self.assertFalse(WebAuthnCredential.objects.filter(user=self.alice).exists())


class StepUpTestCase(PasskeyTestCase):
    def test_a_passkey_opens_the_step_up_window(self):
        authenticator = self.register(self.coordinator)
        self.sign_in(self.coordinator)
        url = f"/staff/people/{self.bob.pk}/role/"
        # Refused without a step-up: back to the Staff page with the error, role unchanged.
        self.client.post(url, {"role": "auditor"})
        self.assertEqual(Staff.objects.get(pk=self.bob.pk).role, Role.CASEWORKER)
        options = self.post_json(STEP_UP + "begin/").json()
        response = self.post_json(
            STEP_UP + "complete/?next=/staff/people/", authenticator.get(options)
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["redirect_url"], "/staff/people/")
        self.client.post(url, {"role": "auditor"})
        self.assertEqual(Staff.objects.get(pk=self.bob.pk).role, Role.AUDITOR)

    def test_another_staff_members_passkey_does_not_step_up(self):
        self.register(self.alice)
        bobs = self.register(self.bob)
        self.sign_in(self.alice)
        options = self.post_json(STEP_UP + "begin/").json()
        response = self.post_json(STEP_UP + "complete/", bobs.get(options))
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("stepped_up_at", self.client.session)
        self.assertEqual(self.actions_of(self.alice)[-1], Action.LOGIN_FAILED)

    def test_it_goes_back_only_to_a_staff_page_here(self):
        authenticator = self.register(self.alice)
        self.sign_in(self.alice)
        for target in ("https://elsewhere.example/", "//elsewhere.example/", "/en/report/"):
            options = self.post_json(STEP_UP + "begin/").json()
            response = self.post_json(
                f"{STEP_UP}complete/?next={target}", authenticator.get(options)
            )
            self.assertEqual(response.json()["redirect_url"], "/staff/security/")
        options = self.post_json(STEP_UP + "begin/").json()
        response = self.post_json(
            f"{STEP_UP}complete/?next=/staff/people/", authenticator.get(options)
        )
        self.assertEqual(response.json()["redirect_url"], "/staff/people/")


class RemovalTestCase(PasskeyTestCase):
    def test_removal_needs_a_step_up_and_is_audited(self):
        self.register(self.alice)
        credential = WebAuthnCredential.objects.get()
        self.sign_in(self.alice)
        url = f"/staff/passkeys/{credential.pk}/remove/"
        self.assertEqual(self.client.post(url, {"code": ""}).status_code, 403)
        self.assertTrue(WebAuthnCredential.objects.exists())
        response = self.client.post(url, {"code": self.totp_code(self.alice)})
        self.assertRedirects(response, "/staff/security/")
        self.assertFalse(WebAuthnCredential.objects.exists())
        entry = Entry.objects.get(action=Action.PASSKEY_REMOVED)
        self.assertEqual(entry.subjects, [str(self.alice.pk), str(credential.pk)])

    def test_bob_cannot_remove_alices_passkey(self):
        self.register(self.alice)
        credential = WebAuthnCredential.objects.get()
        self.sign_in(self.bob)
        self.step_up_with_code(self.bob)
        response = self.client.post(f"/staff/passkeys/{credential.pk}/remove/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(WebAuthnCredential.objects.exists())


@override_settings(OTP_WEBAUTHN_ALLOWED_ORIGINS=["http://localhost:8000"])
class MalformedRequestTestCase(PasskeyTestCase):
    """Whatever the body, the answer is 4xx: never a server error."""

    BODIES = [
        b"{",
        b"\xff\xfe\x00",
        b"[" * 100_000 + b"]" * 100_000,
        b"[]",
        b'"text"',
        b"1e999",
        b"null",
        b"{}",
        b'{"id": 1}',
        b'{"id": "", "rawId": "", "type": "public-key", "response": {}}',
    ]

    def mutations(self, valid: dict):
        """The valid answer with one field at a time made wrong in several ways."""
        bad: object
        for key in ("id", "rawId", "type", "response", "clientExtensionResults"):
            for bad in (None, 1, [], {}, "!!", "a", "x" * 5000):
                yield {**valid, key: bad}
        for key in valid["response"]:
            for bad in (None, 7, ["a"], {"a": 1}, "a", "_-_", b64url(b"\x00" * 300)):
                yield {**valid, "response": {**valid["response"], key: bad}}
        yield {**valid, "clientExtensionResults": {"credProps": 5}}
        yield {**valid, "clientExtensionResults": {"credProps": {"rk": []}}}

    def assert_4xx(self, url: str, body: bytes, content_type="application/json"):
        response = self.client.post(url, body, content_type=content_type)
        self.assertTrue(400 <= response.status_code < 500, (url, body[:80], response.status_code))

    def test_registration_answers_4xx_to_any_body(self):
        self.sign_in(self.alice)
        self.step_up_with_code(self.alice)
        for body in self.BODIES:
            self.assert_4xx(REGISTER + "complete/", body)
        self.assert_4xx(REGISTER + "complete/", b"id=1", "application/x-www-form-urlencoded")
        authenticator = SoftAuthenticator()
        valid = authenticator.create(self.post_json(REGISTER + "begin/").json())
        for mutated in self.mutations(valid):
            self.post_json(REGISTER + "begin/")
            self.assert_4xx(REGISTER + "complete/", json.dumps(mutated).encode())
        self.assertFalse(WebAuthnCredential.objects.exists())
        # Unsigned extension results are read after the signature checks out.
        bad: object
        for bad in (5, [], "x", {"rk": {}}):
            answer = SoftAuthenticator().create(self.post_json(REGISTER + "begin/").json())
            answer["clientExtensionResults"] = {"credProps": bad}
            response = self.post_json(REGISTER + "complete/", answer)
            self.assertLess(response.status_code, 500, bad)

    def test_sign_in_answers_4xx_to_any_body(self):
        authenticator = self.register(self.alice)
        self.password_step(self.alice)
        valid = authenticator.get(self.post_json(SIGN_IN + "begin/").json())
        for body in self.BODIES:
            self.post_json(SIGN_IN + "begin/")
            self.assert_4xx(SIGN_IN + "complete/", body)
        for mutated in self.mutations(valid):
            self.post_json(SIGN_IN + "begin/")
            self.assert_4xx(SIGN_IN + "complete/", json.dumps(mutated).encode())
        self.assert_signed_out()
        self.assertTrue(chain.verify().ok)

    def test_step_up_answers_4xx_to_any_body(self):
        authenticator = self.register(self.alice)
        self.sign_in(self.alice)
        valid = authenticator.get(self.post_json(STEP_UP + "begin/").json())
        for body in self.BODIES:
            self.post_json(STEP_UP + "begin/")
            self.assert_4xx(STEP_UP + "complete/", body)
        for mutated in self.mutations(valid):
            self.post_json(STEP_UP + "begin/")
            self.assert_4xx(STEP_UP + "complete/", json.dumps(mutated).encode())
        self.assertNotIn("stepped_up_at", self.client.session)


class TotpStillWorksTestCase(PasskeyTestCase):
    def test_a_staff_member_with_a_passkey_may_still_use_the_app_code(self):
        self.register(self.alice)
        device = SealedTOTPDevice.objects.get(user=self.alice)
        self.assertTrue(device.confirmed)
        self.sign_in(self.alice)
        self.assertContains(self.client.get("/staff/"), "Signed in as alice")


class RemovingTheSessionsOwnPasskeyTestCase(PasskeyTestCase):
    def test_it_ends_the_session_and_destroys_its_key(self):
        authenticator = self.register(self.alice)
        self.password_step(self.alice)
        self.assertEqual(self.passkey_step(authenticator).status_code, 200)
        session_key = self.client.session.session_key
        assert session_key is not None
        credential = WebAuthnCredential.objects.get()
        response = self.client.post(
            f"/staff/passkeys/{credential.pk}/remove/", {"code": self.totp_code(self.alice)}
        )
        self.assertRedirects(response, "/staff/security/", fetch_redirect_response=False)
        # The device that verified this session is gone: the next page ends the session.
        response = self.client.get("/staff/")
        self.assertRedirects(response, "/staff/login/")
        self.assertEqual(response.cookies[session_keys.COOKIE].value, "")
        self.assertFalse(SessionStore().exists(session_key))


class CsrfTestCase(PasskeyTestCase):
    def test_the_ceremonies_need_the_csrf_token(self):
        self.sign_in(self.alice)
        self.step_up_with_code(self.alice)
        browser = Client(enforce_csrf_checks=True)
        browser.cookies = self.client.cookies
        refused = self.post_json(REGISTER + "begin/", client=browser)
        self.assertEqual(refused.status_code, 403)
        token = browser.get("/staff/security/").context["passkey_config"]["csrfToken"]
        allowed = browser.post(
            REGISTER + "begin/", "", content_type="application/json", HTTP_X_CSRFTOKEN=token
        )
        self.assertEqual(allowed.status_code, 200, allowed.content)
