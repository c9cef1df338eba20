"""The staff pages in a real browser: the sign-in pages follow the browser's language,
a staff member switches the staff pages to Uyghur (right to left) without JavaScript,
and the public side in the same browser keeps the language of its URL."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

from accounts import services
from accounts.models import Role

PASSWORD = "alice-pass-e2e-lang-1"


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1")
    key = services.unlock_private_key(result.coordinator, "coordinator-pass-e2e-1")
    services.add_staff("alice", Role.CASEWORKER, PASSWORD, result.coordinator, key)
    return result.organisation


def code(secret: str) -> str:
    seed = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(seed):06d}"


def test_staff_pages_in_the_browsers_then_the_chosen_language(organisation, live_server, browser):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()

    # Before sign-in: the browser's language (Russian here).
    page.goto(f"{base}/staff/login/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Вход"
    page.fill("[name=username]", "alice")
    page.fill("[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert page.url.endswith("/staff/enrol/")
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    page.fill("[name=code]", code(secret))
    page.click("form:has([name=code]) button[type=submit]")
    assert page.locator("h1").inner_text() == "Ваши резервные коды"

    # Signed in: Alice chooses Uyghur on the Security page, without JavaScript.
    page.goto(f"{base}/staff/security/")
    page.select_option("[name=language]", "ug")
    page.click("form[action='/staff/security/language/'] button[type=submit]")
    assert page.url.endswith("/staff/security/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ug", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("h1").inner_text() == "بىخەتەرلىك"
    assert page.locator("[name=language] option:checked").get_attribute("value") == "ug"

    # The public side in the same browser keeps the language of its URL.
    page.goto(f"{base}/en/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    assert not any(c["name"] == "django_language" for c in context.cookies())

    # And the staff pages are still in Uyghur.
    page.goto(f"{base}/staff/password/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()
