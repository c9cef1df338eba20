"""The staff navigation in a real browser at a phone's width, without JavaScript: every
link fits on the screen, the current page is marked, and the cases list opens from it."""

from __future__ import annotations

import pytest

from accounts import services
from accounts.models import Role

from .test_staff_in_browser import PASSWORDS, sign_in_first_time

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1")
    key = services.unlock_private_key(result.coordinator, "coordinator-pass-e2e-1")
    services.add_staff("ines", Role.INTAKE, PASSWORDS["ines"], result.coordinator, key)
    return result.organisation


def test_it_fits_the_navigation_on_a_phone_without_javascript(organisation, live_server, browser):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in_first_time(page, base, "ines")
    page.goto(f"{base}/staff/reports/")
    nav = page.locator("nav.staff-nav")
    assert nav.get_attribute("aria-label")
    links = nav.locator("a")
    names = [links.nth(i).inner_text().strip() for i in range(links.count())]
    assert names == ["Inbox", "Cases", "Security"]  # an intake caseworker's pages
    for item in [*(links.nth(i) for i in range(links.count())), nav.locator("button")]:
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"], item.inner_text()
    assert nav.locator("[aria-current=page]").inner_text().strip() == "Inbox"
    nav.locator("a", has_text="Cases").click()
    assert page.url == f"{base}/staff/reports/persons/"
    assert page.locator("nav.staff-nav [aria-current=page]").inner_text().strip() == "Cases"
    assert page.locator("h1").inner_text().strip() == "Cases"
    nav.locator("button", has_text="Sign out").click()
    assert page.url.endswith("/staff/login/")
    context.close()
