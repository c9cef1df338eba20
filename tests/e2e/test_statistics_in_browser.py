"""The statistics page in a real browser, as a coordinator: the charts render under the
content security policy (no violation reported), a period chosen in the month fields
filters the tables, small counts read "< 5", and the CSV downloads with its name."""

from __future__ import annotations

from datetime import date

import pytest

from accounts import services
from tests.e2e.test_staff_in_browser import PASSWORDS, sign_in_first_time
from tests.test_statistics import add_report

COORDINATOR = {"coordinator": "coordinator-pass-e2e-1"}


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", COORDINATOR["coordinator"])
    for day in range(1, 7):
        add_report(date(2026, 2, day), region="kashgar", language="ug")
    for day in range(1, 8):
        add_report(date(2026, 3, day), region="kashgar", language="ug")
    add_report(date(2026, 4, 2), region="hotan", language="kk")
    add_report(date(2025, 1, 2), region="ili", language="ru")
    PASSWORDS.update(COORDINATOR)
    yield result.organisation
    PASSWORDS.pop("coordinator", None)


def test_statistics_as_a_coordinator(organisation, live_server, browser):
    base = live_server.url
    page = browser.new_context(accept_downloads=True).new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in_first_time(page, base, "coordinator")

    page.goto(f"{base}/staff/reports/statistics/")
    assert page.locator("h1").inner_text() == "Statistics"
    chart = page.locator("svg[aria-labelledby='chart-months-title chart-months-desc']")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 40
    # All time: the January 2025 report is counted, as "< 5".
    regions = page.locator("#regions-table")
    assert "Ili prefecture" in regions.inner_text()

    page.fill("#id_from_month", "2026-02")
    page.fill("#id_to_month", "2026-04")
    page.click("form[action='/staff/reports/statistics/'] button[type=submit]")
    assert "from_month=2026-02" in page.url
    months = page.locator("#months-table tbody").inner_text()
    assert "March 2026\t7" in months
    # The lone small count would follow from the total: February's count is withheld.
    assert "February 2026\twithheld" in months
    assert "April 2026\t< 5" in months
    assert "January 2025" not in months
    # The hatched bar for April is drawn, at the length of 5.
    assert page.locator("#chart-months-hatch").count() == 1

    # The download covers all time, not the period shown: January 2025 is in it.
    with page.expect_download() as info:
        page.click("text=Download the figures since the first report (CSV)")
    download = info.value
    assert download.suggested_filename.startswith("amanat-statistics-2025-01-to-")
    text = open(download.path(), encoding="utf-8-sig").read()
    assert "Reports per month,January 2025,< 5" in text
    assert "Reports per month,March 2026,7" in text

    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
