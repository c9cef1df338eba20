"""A caseworker's day in a real browser: a family answers on a return visit; the intake
caseworker filters the inbox to replies, opens the report and reads it in words, links
it to the case it belongs to and adds a status known only to the year; the
coordinator looks at the statistics and the auditor filters the log to that link."""

from __future__ import annotations

from accounts import services
from accounts.models import Role, Staff
from cases import persons
from cases.tests.queue_data import make_report

from .test_staff_in_browser import PASSWORDS, code, organisation

__all__ = ["organisation"]  # the fixture, shared

COORDINATOR_PASSWORD = "coordinator-pass-e2e-1"  # as the shared fixture made it
AUDITOR_PASSWORD = "ada-auditor-pass-day-1"


def first_sign_in(page, base: str, login: str, password: str) -> None:
    """Password, then the forced enrolment of an authenticator app."""
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", login)
    page.fill("[name=password]", password)
    page.click("form[method=post] button[type=submit]")
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    page.fill("[name=code]", code(secret))
    page.click("form:has([name=code]) button[type=submit]")
    page.click("text=Continue")


def test_a_caseworkers_day(organisation, live_server, browser):
    base = live_server.url
    ines = Staff.objects.get(username="ines")
    coordinator = Staff.objects.get(role=Role.COORDINATOR)
    coordinator_key = services.unlock_private_key(coordinator, COORDINATOR_PASSWORD)
    services.add_staff("ada", Role.AUDITOR, AUDITOR_PASSWORD, coordinator, coordinator_key)
    ines_key = services.unlock_private_key(ines, PASSWORDS["ines"])
    first = make_report("Mehmet Tursun")
    case = persons.create_from_report(ines, ines_key, first.id, "unverified")

    # A brother in Istanbul reports the same man, then comes back with more.
    family = browser.new_context(java_script_enabled=False).new_page()
    family.goto(f"{base}/en/report/")
    for name, value in {
        "name_1": "Memet Tursun",
        "father_name": "Tursun",
        "gone_year": "2017",
        "place": "Ghulja, at his shop",
        "steps_taken": "We wrote to the embassy.",
        "reporter_name": "Ali",
    }.items():
        family.fill(f"[name={name}]", value)
    family.select_option("[name=gone_month]", "4")
    family.select_option("[name=what_happened]", "camp")
    family.select_option("[name=responsible]", "police")
    family.select_option("[name=relationship]", "sibling")
    family.check("[name=consent][value=internal]")
    family.click("form[method=post] button[type=submit]")
    receipt = family.locator(".receipt").inner_text().strip()
    family.goto(f"{base}/en/receipt/")
    family.fill("[name=receipt]", receipt)
    family.click("form[method=post] button[type=submit]")
    family.fill("[name=text]", "His neighbour saw him in 2019.")
    family.locator("form:has([name=text]) button[type=submit]").click()

    # The intake caseworker's queue: only the report with an unread reply.
    page = browser.new_context().new_page()
    first_sign_in(page, base, "ines", PASSWORDS["ines"])
    page.click("nav >> text=Inbox")
    page.check("#inbox-replied")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.inbox tbody tr")
    assert rows.count() == 1
    assert "unread" in rows.first.inner_text()
    rows.first.locator("a", has_text="Memet Tursun").click()

    # The report in words: labels, choices and a date by its precision.
    text = page.locator("main").inner_text()
    for words in ("April 2017", "Father's name", "Ghulja, at his shop", "His neighbour saw"):
        assert words in text, words
    for raw in ("father_name", "what_happened", "'precision'", "sibling"):
        assert raw not in page.content(), raw

    # The same man: link the report to the existing case.
    page.fill("[name=case_number]", str(case.number))
    page.click("form:has([name=case_number]) button[type=submit]")
    page.goto(f"{base}/staff/reports/persons/{case.id}/")
    assert f"{case.number}" in page.locator("h1").inner_text()

    # A status known only to the year.
    page.select_option("[name=status]", "detained")
    page.fill("[name=on_year]", "2019")
    page.fill("[name=source]", "The neighbour's account, given by the brother")
    page.click("form:has([name=on_year]) button[type=submit]")
    timeline = page.locator("main").inner_text()
    assert "2019" in timeline and "Detained" in timeline

    # Read now: the reply filter is empty.
    page.goto(f"{base}/staff/reports/?replied=1")
    assert "No report you hold matches these filters." in page.locator("main").inner_text()
    assert page.locator("table.inbox tbody a", has_text="Memet Tursun").count() == 0

    # The coordinator's statistics: small counts never exact.
    chief = browser.new_context().new_page()
    first_sign_in(chief, base, coordinator.username, COORDINATOR_PASSWORD)
    chief.click("nav >> text=Statistics")
    assert chief.locator("svg[role=img]").count() > 0
    assert "< 5" in chief.locator("main").inner_text()

    # The auditor finds who linked the report, by action.
    auditor = browser.new_context(java_script_enabled=False).new_page()
    first_sign_in(auditor, base, "ada", AUDITOR_PASSWORD)
    auditor.click("nav >> text=Audit log")
    auditor.select_option("[name=action]", label="Report linked to a case")
    auditor.click("text=Show entries")
    # Linking lists report ids, so the entry keeps its day only and waits for the day
    # to end before it joins the chain.
    waiting = auditor.locator("#waiting-heading ~ table tr", has_text="Report linked to a case")
    assert waiting.count() == 1
    assert "ines" in waiting.first.inner_text()
