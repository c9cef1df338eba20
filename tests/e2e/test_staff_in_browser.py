"""Staff in a real browser: enrol a second factor, sign in, open a report a family sent
through the public form, assign it, ask the reporter a question; the reporter answers
with the receipt; the caseworker sees the answer."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

from accounts import services
from accounts.models import Role

PASSWORDS = {"ines": "ines-pass-e2e-12345", "alice": "alice-pass-e2e-12345"}


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1")
    key = services.unlock_private_key(result.coordinator, "coordinator-pass-e2e-1")
    services.add_staff("ines", Role.INTAKE, PASSWORDS["ines"], result.coordinator, key)
    services.add_staff("alice", Role.CASEWORKER, PASSWORDS["alice"], result.coordinator, key)
    return result.organisation


def code(secret: str, ahead: int = 0) -> str:
    seed = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(seed, t0=-30 * ahead):06d}"


def sign_in_first_time(page, base: str, username: str) -> str:
    """Password, then the forced enrolment; returns the TOTP secret shown once."""
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    assert page.url.endswith("/staff/enrol/")
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    page.fill("[name=code]", code(secret))
    page.click("form:has([name=code]) button[type=submit]")
    assert "Your backup codes" in page.content()
    page.click("text=Continue")
    return secret


def test_staff_triage_and_talk_with_the_reporter(organisation, live_server, browser):
    base = live_server.url
    family = browser.new_context(java_script_enabled=False).new_page()
    family.goto(f"{base}/ug/report/")
    for name, value in {
        "name_1": "ئابدۇرەھىم تۇرسۇن",
        "gone_year": "2018",
        "place": "يەكەن",
        "steps_taken": "ئەلچىخانىغا خەت يازدۇق",
        "reporter_name": "گۈلنار",
    }.items():
        family.fill(f"[name={name}]", value)
    for name, value in {
        "what_happened": "camp",
        "responsible": "police",
        "relationship": "sibling",
    }.items():
        family.select_option(f"[name={name}]", value)
    family.check("[name=consent][value=un-confidential]")  # nothing is chosen in advance
    family.click("button[type=submit]")
    receipt = family.locator(".receipt").inner_text().strip()

    intake_page = browser.new_context().new_page()
    secret = sign_in_first_time(intake_page, base, "ines")
    intake_page.goto(f"{base}/staff/reports/")
    link = intake_page.locator("table.inbox a", has_text="ئابدۇرەھىم تۇرسۇن")
    # Shown right to left: the browser resolves the name's direction from its script.
    assert link.evaluate("element => element.matches(':dir(rtl)')")
    link.click()
    report_url = intake_page.url
    intake_page.fill("[name=text]", "Do you have a photo of him?")
    intake_page.click("form:has([name=text]) button[type=submit]")
    intake_page.select_option("[name=caseworker]", label="alice")
    intake_page.fill("[name=code]", code(secret, ahead=1))
    intake_page.click("form:has([name=caseworker]) button[type=submit]")
    assert intake_page.url == report_url

    family.goto(f"{base}/ug/receipt/")
    family.fill("[name=receipt]", receipt)
    family.click("button[type=submit]")
    assert "Do you have a photo of him?" in family.locator("article.msg").inner_text()
    family.fill("[name=text]", "ھەئە، بىر رەسىم بار")
    family.locator("form:has([name=text]) button[type=submit]").click()

    caseworker = browser.new_context().new_page()
    sign_in_first_time(caseworker, base, "alice")
    caseworker.goto(f"{base}/staff/reports/")
    caseworker.locator("table.inbox a").first.click()
    assert caseworker.url == report_url
    thread = caseworker.locator("article.msg").all_inner_texts()
    assert any("Do you have a photo of him?" in text for text in thread)
    assert any("ھەئە، بىر رەسىم بار" in text for text in thread)
