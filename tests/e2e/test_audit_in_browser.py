"""An auditor in a real browser, JavaScript off: reads the log in words, filters it by
action and dates, has the chain verified and downloads the filtered entries."""

from __future__ import annotations

import base64
import os

import pytest
from django.utils import timezone
from django_otp.oath import totp

from accounts import services
from accounts.models import Role

PASSWORD = "ada-auditor-pass-e2e-1"


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1")
    key = services.unlock_private_key(result.coordinator, "coordinator-pass-e2e-1")
    services.add_staff("ada", Role.AUDITOR, PASSWORD, result.coordinator, key)
    return result.organisation


def code(secret: str) -> str:
    return f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"


def test_an_auditor_filters_verifies_and_downloads(organisation, live_server, browser):
    base = live_server.url
    page = browser.new_context(java_script_enabled=False, accept_downloads=True).new_page()
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", "ada")
    page.fill("[name=password]", PASSWORD)
    page.click("button[type=submit]")
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    page.fill("[name=code]", code(secret))
    page.click("form:has([name=code]) button[type=submit]")
    page.click("text=Continue")

    page.goto(f"{base}/staff/audit/")
    assert "The chain has not been verified yet" in page.content()
    assert page.locator("table.inbox td", has_text="Staff account created").count() == 1
    page.click("text=Verify the chain now")
    assert "The chain is intact" in page.content()

    page.select_option("[name=action]", label="Staff account created")
    today = timezone.localdate().isoformat()
    page.fill("[name=start]", today)
    page.fill("[name=end]", today)
    page.click("text=Show entries")
    assert "action=staff.created" in page.url
    assert "1 entry matches the filters." in page.content()
    cells = page.locator("#entries-heading ~ table td").all_inner_texts()
    assert "ada" in cells and "coordinator" in cells
    if os.environ.get("AMANAT_SCREENSHOTS"):
        page.screenshot(path=os.environ["AMANAT_SCREENSHOTS"], full_page=True)

    with page.expect_download() as download:
        page.click("text=Download these entries (CSV)")
    text = open(download.value.path(), encoding="utf-8").read()
    assert download.value.suggested_filename == f"audit-log-{today}.csv"
    assert "Staff account created" in text and "Signed in" not in text
