"""A real browser for end-to-end tests: Debian's Chromium, driven by Playwright.

The Makefile's test setup installs chromium; Playwright's own browser download is
never used.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fill_report_in_uyghur(page) -> None:
    """The public form, filled as a Uyghur-speaking family member would (JavaScript off)."""
    page.fill("[name=name_1]", "ئابدۇرەھىم تۇرسۇن")
    page.select_option("[name=script_1]", "ug-arab")
    page.fill("[name=gone_year]", "2018")
    page.select_option("[name=gone_month]", "4")
    page.fill("[name=place]", "يەكەن ناھىيەسى")
    page.select_option("[name=what_happened]", "camp")
    page.select_option("[name=responsible]", "police")
    page.fill("[name=steps_taken]", "ئەلچىخانىغا خەت يازدۇق")
    page.fill("[name=reporter_name]", "گۈلنار")
    page.select_option("[name=relationship]", "sibling")
    page.check("[name=consent][value=internal]")


# Playwright's sync API runs an event loop in this thread; the test's own database
# calls are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page_without_js(browser):
    """A fresh browser profile with JavaScript off, as many reporters use Tor Browser."""
    context = browser.new_context(java_script_enabled=False, locale="ug")
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    yield page
    context.close()


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each browser test starts with no sign-in or submission counted: every test signs
    in from the same address, and the limits would otherwise add up across tests."""
    from django.core.cache import cache

    from accounts import throttle
    from intake import notices, ratelimit

    cache.clear()
    throttle.forget_local_counters()
    ratelimit.reset()
    notices.dispatcher.reset()
    yield
