"""Passkeys in a real browser, with Chromium's virtual authenticator (DevTools protocol):
a staff member adds a passkey after confirming with a code, signs out, signs in with the
password and the passkey, then steps up with the passkey, all under the strict CSP.

WebAuthn needs a secure context and a host name as relying party id: the live server
runs on http://localhost, which browsers treat as secure; the RP id is "localhost".
"""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from accounts.models import Role, Staff
from audit.models import Action, Entry

PASSWORD = "ines-pass-e2e-passkey-1"


@pytest.fixture
def ines(transactional_db, settings, live_server):
    # The live server's port changes each run; the origin must match it exactly.
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    result = services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1")
    key = services.unlock_private_key(result.coordinator, "coordinator-pass-e2e-1")
    return services.add_staff("ines", Role.INTAKE, PASSWORD, result.coordinator, key)


def code(secret: str, ahead: int = 0) -> str:
    seed = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(seed, t0=-30 * ahead):06d}"


def password_step(page, base: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", "ines")
    page.fill("[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_add_a_passkey_then_sign_in_and_step_up_with_it(ines, live_server, browser):
    base = live_server.url
    assert base.startswith("http://localhost:")
    context = browser.new_context()
    page = context.new_page()
    # A CSP refusal or a script error shows in the console; the site has no favicon.
    problems: list[object] = []

    def on_console(message):
        url = message.location.get("url", "")
        if message.type in ("error", "warning") and not url.endswith("/favicon.ico"):
            problems.append((message.text, url))

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    # First sign-in: password, then the forced authenticator-app enrolment.
    password_step(page, base)
    assert page.url.endswith("/staff/enrol/")
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    page.fill("[name=code]", code(secret))
    page.click("form:has([name=code]) button[type=submit]")
    page.click("text=Continue")

    # Adding a passkey needs a fresh code first.
    page.click("nav.staff-nav >> text=Security")
    assert page.locator("#passkey-register-button").count() == 0
    page.fill("[name=code]", code(secret, ahead=1))
    page.click("form:has([name=code]) button[type=submit]")
    page.click("#passkey-register-button")
    page.wait_for_selector("ul.passkeys li:has-text('Passkey added')")
    stored = WebAuthnCredential.objects.get(user=Staff.objects.get(username="ines"))
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(held["credentials"]) == 1
    assert base64.b64decode(held["credentials"][0]["credentialId"]) == bytes(stored.credential_id)

    # Sign out; sign in with the password and the passkey.
    page.click("text=Sign out")
    password_step(page, base)
    assert page.url.endswith("/staff/verify/")
    page.click("#passkey-verification-button")
    page.wait_for_url(f"{base}/staff/")
    assert "Signed in as ines" in page.content()
    assert Entry.objects.filter(action=Action.LOGIN).count() == 2

    # A new session has no step-up: the passkey gives one.
    page.click("nav.staff-nav >> text=Security")
    assert page.locator("#passkey-register-button").count() == 0
    page.click("#passkey-verification-button")
    page.wait_for_selector("#passkey-register-button")
    assert page.url == f"{base}/staff/security/"

    assert not problems, problems
    context.close()
