"""A family member reports in Uyghur, with JavaScript off, and comes back with the receipt."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from accounts import services
from accounts.models import Role
from intake.models import Report
from tests.e2e.conftest import fill_report_in_uyghur


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1")
    key = services.unlock_private_key(result.coordinator, "coordinator-pass-e2e-1")
    services.add_staff("ines", Role.INTAKE, "ines-pass-e2e-12345", result.coordinator, key)
    return result.organisation


def test_it_reports_in_uyghur_and_comes_back_with_the_receipt(
    organisation, live_server, page_without_js, tmp_path
):
    page = page_without_js
    page.goto(f"{live_server.url}/ug/report/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ug"
    assert page.title().endswith(" \N{EN DASH} Amanat")
    # Right to left reads naturally: the form's text starts at the right edge.
    box = page.locator("label[for=id_name_1]").bounding_box()
    viewport = page.viewport_size
    assert box["x"] + box["width"] > viewport["width"] * 0.6

    fill_report_in_uyghur(page)
    page.click("button[type=submit]")

    receipt = page.locator(".receipt").inner_text().strip()
    assert len(receipt.replace(" ", "")) == 21
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=tmp_path / "receipt.png", full_page=True)
    report = Report.objects.get()
    assert report.language == "ug"

    page.goto(f"{live_server.url}/ug/receipt/")
    page.fill("[name=receipt]", receipt)
    page.click("button[type=submit]")
    assert page.locator("dl.status").is_visible()
    page.fill("[name=text]", "ئۇ 2019-يىلى قەشقەردە كۆرۈلگەن")
    page.locator("form:has([name=text]) button[type=submit]").click()
    assert "ئۇ 2019-يىلى قەشقەردە كۆرۈلگەن" in page.locator("article.msg").inner_text()

    server = urlsplit(live_server.url).netloc
    hosts = {urlsplit(url).netloc for url in page.requests_seen}
    assert hosts == {server}, f"requests left the site: {hosts - {server}}"
    assert any(url.endswith("/static/css/amanat.css") for url in page.requests_seen)


def test_the_quick_exit_leaves_the_site(organisation, live_server, page_without_js):
    page = page_without_js
    page.goto(f"{live_server.url}/ug/report/")
    exit_link = page.locator("a.exit")
    assert exit_link.is_visible()
    assert urlsplit(exit_link.get_attribute("href")).netloc not in {
        "",
        urlsplit(live_server.url).netloc,
    }
    assert "noreferrer" in exit_link.get_attribute("rel")
