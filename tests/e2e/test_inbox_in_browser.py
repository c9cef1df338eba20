"""The inbox as a work queue in a real browser, with JavaScript off: filter to the
reports whose reporter replied, page through a filtered queue, search by case number."""

from __future__ import annotations

import datetime
from unittest import mock

from accounts import services
from accounts.models import Staff
from cases import inbox, persons
from cases.tests.queue_data import make_report
from intake.models import Report

from .test_staff_in_browser import PASSWORDS, organisation, sign_in_first_time

__all__ = ["organisation"]  # the fixture, shared


def test_a_caseworker_filters_pages_and_searches_without_javascript(
    organisation, live_server, browser
):
    ines = Staff.objects.get(username="ines")
    key = services.unlock_private_key(ines, PASSWORDS["ines"])
    replied = make_report("Replied Person", language="ug")
    Report.objects.filter(id=replied.id).update(replied_on=datetime.date(2026, 3, 3))
    for n in range(5):
        make_report(f"Queue Person {n}", language="kk")
    case = persons.create_from_report(ines, key, replied.id, "unverified")

    base = live_server.url
    page = browser.new_context().new_page()
    sign_in_first_time(page, base, "ines")
    staff = browser.new_context(java_script_enabled=False)
    staff.add_cookies(page.context.cookies())
    queue = staff.new_page()
    queue.goto(f"{base}/staff/reports/")
    assert "6 reports" in queue.locator("#inbox-total").inner_text()

    queue.check("#inbox-replied")
    queue.click("form.filters button[type=submit]")
    assert "replied=1" in queue.url
    rows = queue.locator("table.inbox tbody tr")
    assert rows.count() == 1
    assert "Replied 2026-03-03, unread" in rows.first.inner_text()
    assert queue.locator("#inbox-replied").is_checked()

    with mock.patch.object(inbox, "PAGE_SIZE", 2):
        queue.goto(f"{base}/staff/reports/")
        queue.select_option("#inbox-language", "kk")
        queue.click("form.filters button[type=submit]")
        assert "page 1 of 3" in queue.locator("#inbox-total").inner_text()
        seen = queue.locator("table.inbox tbody a[dir]").all_inner_texts()
        for number in (2, 3):
            queue.click("a[rel=next]")
            assert f"page {number} of 3" in queue.locator("#inbox-total").inner_text()
            assert queue.locator("#inbox-language").input_value() == "kk"
            seen += queue.locator("table.inbox tbody a[dir]").all_inner_texts()
        assert sorted(seen) == [f"Queue Person {n}" for n in range(5)]

    queue.goto(f"{base}/staff/reports/")
    queue.fill("#inbox-q", f"#{case.number}")
    queue.click("form.filters button[type=submit]")
    assert queue.locator("table.inbox tbody a[dir]").all_inner_texts() == ["Replied Person"]
    queue.fill("#inbox-q", "Tursun")
    queue.click("form.filters button[type=submit]")
    assert queue.locator("#inbox-q-error").is_visible()
