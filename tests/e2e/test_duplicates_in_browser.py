"""Duplicates in a real browser: the intake caseworker triages a second report of a man
whose first report was written in Latin letters, this one in Uyghur Arabic script; the
page proposes his case with its reasons and she links it, and finds him from the
inbox by a Cyrillic spelling. Then the coordinator merges
a third, separate case of the same man into it, confirming with a fresh code."""

from __future__ import annotations

from accounts import services
from accounts.models import Reason, Role, SealedTOTPDevice, Staff
from cases import case_keys, persons
from cases.models import MergedNumber, PersonReport
from cases.tests.queue_data import make_report
from intake import submission

from .accessibility import describe, problems
from .test_staff_in_browser import PASSWORDS, code, organisation

__all__ = ["organisation"]  # the fixture, shared

COORDINATOR_PASSWORD = "coordinator-pass-e2e-1"  # as the shared fixture made it
ARABIC = "ئابدۇرېھىم تۇرسۇن"


def sign_in(page, base: str, login: str, password: str) -> str:
    """Password, then the forced enrolment; returns the TOTP secret for step-ups."""
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", login)
    page.fill("[name=password]", password)
    page.click("form[method=post] button[type=submit]")
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    page.fill("[name=code]", code(secret))
    page.click("form:has([name=code]) button[type=submit]")
    page.click("text=Continue")
    return secret


def test_a_duplicate_is_proposed_linked_and_merged(organisation, live_server, browser):
    base = live_server.url
    ines = Staff.objects.get(username="ines")
    coordinator = Staff.objects.get(role=Role.COORDINATOR)
    ines_key = services.unlock_private_key(ines, PASSWORDS["ines"])
    first = make_report("Abdurehim Tursun")
    case = persons.create_from_report(ines, ines_key, first.id, "unverified")
    second = submission.submit(
        {
            "missing": {"names": [{"name": ARABIC, "script": "ug-arab"}]},
            "disappearance": {"place": "Kashgar"},
            "reporter": {"reporter_name": "R"},
        },
        language="ug",
        consent="internal",
        region="kashgar",
        files=[],
    ).report

    # Triage: the proposal names the case, its name and why it matches.
    page = browser.new_context().new_page()
    sign_in(page, base, "ines", PASSWORDS["ines"])
    page.goto(f"{base}/staff/reports/{second.id}/")
    proposal = page.locator(".proposal", has_text=f"Link to case {case.number}")
    assert proposal.count() == 1
    words = proposal.inner_text()
    assert "Abdurehim Tursun" in words
    assert "match" in words and "Arabic script" in words and "Latin letters" in words
    proposal.locator("input[type=radio]").check()
    page.click("form:has(.proposals) button[type=submit]")
    assert page.url.endswith(f"/staff/reports/persons/{case.id}/")
    assert PersonReport.objects.filter(person=case).count() == 2

    # The inbox's name search: written in Cyrillic, sent in the body, found in Latin.
    page.goto(f"{base}/staff/reports/")
    assert problems(page) == [], describe(page.url, problems(page))
    page.fill("#find-person-name", "Абдурехим Турсун")
    page.click("form.find-person button[type=submit]")
    assert page.url.endswith("/staff/reports/find/")  # no name in the address
    found = page.locator(".proposal", has_text=f"Case {case.number}")
    assert found.count() == 1 and "Abdurehim Tursun" in found.inner_text()
    assert problems(page) == [], describe(page.url, problems(page))

    # A third report of him became a case of its own; the coordinator holds both.
    third = make_report("Abdurahim Tursunov")
    other = persons.create_from_report(ines, ines_key, third.id, "unverified")
    for report in (first, third):
        case_keys.share(
            ines.holder, ines_key, report.id, to={coordinator.holder_id: Reason.ASSIGNED}
        )

    chief = browser.new_context().new_page()
    secret = sign_in(chief, base, coordinator.username, COORDINATOR_PASSWORD)
    chief.goto(f"{base}/staff/reports/persons/{case.id}/")
    chief.click("text=Merge another case of the same person into this one")
    chief.fill("[name=number]", str(other.number))
    chief.click("text=Show both cases")
    both = chief.locator("table.merge").inner_text()
    assert f"Case {case.number}" in both and f"Case {other.number}" in both
    assert "Abdurahim Tursunov" in both
    assert problems(chief) == [], describe(chief.url, problems(chief))
    # Without a code: refused, nothing merged.
    chief.click(f"text=Merge case {other.number} into case {case.number}")
    assert "Merging needs a fresh code" in chief.locator("main").inner_text()
    assert not MergedNumber.objects.exists()
    # The empty code counted as a failure; a person would wait out the throttle.
    SealedTOTPDevice.objects.filter(user=coordinator).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    chief.fill("[name=code]", code(secret, ahead=1))
    chief.click(f"text=Merge case {other.number} into case {case.number}")
    assert chief.url.endswith(f"/staff/reports/persons/{case.id}/")
    main = chief.locator("main").inner_text()
    assert f"Case {other.number} was merged into case {case.number}." in main
    assert "Abdurahim Tursunov" in main  # kept as another spelling
    assert PersonReport.objects.filter(person=case).count() == 3
    assert chief.locator("text=Unlink: not this person").count() == 3
    assert problems(chief) == [], describe(chief.url, problems(chief))

    # The merged case's page leads to the case it is part of now.
    chief.goto(f"{base}/staff/reports/persons/{other.id}/")
    assert chief.url.endswith(f"/staff/reports/persons/{case.id}/")
