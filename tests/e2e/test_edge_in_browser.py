"""A real browser through Amanat's real edge: Chromium (JavaScript off, as many Tor Browser
users have it) reports through nginx's TLS entrance on a port of its own, comes back with
its receipt, and a staff member's sign-in form answers a wrong password with an error, not
"This page expired". The form posts carry the browser's own Origin (with the port), which
the plain-HTTP tests of tests/deploy/test_edge.py write by hand."""

from __future__ import annotations

import pytest

from tests import servers
from tests.deploy import edge
from tests.e2e.accessibility import describe, problems
from tests.e2e.conftest import CHROMIUM, FLAGS, fill_report_in_uyghur

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site():
    """Amanat under gunicorn in production mode behind nginx rendered from deploy/nginx/."""
    why_not = edge.missing_tools()
    if why_not:
        pytest.fail(why_not)
    app = edge.App()
    try:
        nginx = edge.Nginx(app.gunicorn.port)
        try:
            yield f"https://{edge.HOST}:{nginx.https}"
        finally:
            nginx.close()
    finally:
        app.close()


@pytest.fixture(scope="module")
def edge_browser(browser):
    """Chromium that finds the site's name on this machine (the session's Playwright)."""
    mapped = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*FLAGS, f"--host-resolver-rules=MAP {edge.HOST} 127.0.0.1"]
    )
    yield mapped
    mapped.close()


@pytest.fixture
def new_page(edge_browser):
    contexts = []

    def make(**options):
        context = edge_browser.new_context(ignore_https_errors=True, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_it_reports_through_nginx_and_comes_back_with_the_receipt(site, new_page):
    page = new_page(java_script_enabled=False, locale="ug")
    answer = page.goto(f"{site}/ug/report/")
    assert answer.headers["onion-location"] == f"http://{edge.ONION}/ug/report/"
    # A mistake first: nothing chosen. The form comes back with what was typed and an
    # error, never an expired page.
    page.fill("[name=name_1]", "ئابدۇرەھىم تۇرسۇن")
    page.click("button[type=submit]")
    assert "expired" not in page.content()
    assert page.locator("ul.errors").count() > 0
    assert page.input_value("[name=name_1]") == "ئابدۇرەھىم تۇرسۇن"

    fill_report_in_uyghur(page)
    page.click("button[type=submit]")
    receipt = page.locator(".receipt").inner_text().strip()
    assert len(receipt.replace(" ", "")) == 21

    page.goto(f"{site}/ug/receipt/")
    page.fill("[name=receipt]", receipt)
    page.click("button[type=submit]")
    assert page.locator("dl.status").is_visible()


def test_it_answers_a_wrong_staff_password_with_an_error(site, new_page):
    page = new_page()
    page.goto(f"{site}/staff/login/")
    page.fill("[name=username]", "coordinator")
    page.fill("[name=password]", "not the password at all")
    page.locator("form button[type=submit]").first.click()
    assert "expired" not in page.content()
    assert page.url.endswith("/staff/login/")
    assert page.locator(".errorlist, [role=alert]").count() > 0


def test_nginx_own_page_reads_in_every_language_and_passes_axe(edge_browser):
    """Amanat down (502) as a family's browser shows it: each language in its own
    direction, the quick exit, no accessibility violation."""

    nginx = edge.Nginx(servers.free_port())  # nothing listens there: Amanat is down
    try:
        context = edge_browser.new_context(ignore_https_errors=True)  # axe runs in the page
        page = context.new_page()
        answer = page.goto(f"https://{edge.HOST}:{nginx.https}/ug/report/")
        assert answer is not None and answer.status == 502
        uyghur = page.locator("section[lang=ug]")
        assert uyghur.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert "بۇ مۇلازىمەت ھازىر جاۋاب بېرەلمەيدۇ" in uyghur.inner_text()
        assert page.locator("section[lang=ru] h1").inner_text() == "Сервис сейчас не может ответить"
        assert page.locator("a[accesskey=x]").is_visible()
        found = problems(page)
        assert not found, describe("the unavailable page", found)
        context.close()
    finally:
        nginx.close()
