"""Every public page in every language, and every staff page for each role that sees
it, checked by axe-core in the browser: 0 violations."""

from __future__ import annotations

import pytest

from accounts import second_factor, services
from accounts.models import Role
from cases import persons
from cases import services as case_services
from intake.models import Report
from tests.reports import report_form_data

from .accessibility import describe, problems

LANGUAGES = ["en", "ug", "kk", "ru", "tr", "zh-hans"]
PASSWORDS = {
    "coordinator": "coordinator-pass-axe-1",
    "ines": "ines-pass-axe-12345",
    "alice": "alice-pass-axe-12345",
    "ada": "ada-pass-axe-123456",
    "rui": "rui-pass-axe-123456",
}


def assert_clean(page, url: str) -> None:
    found = problems(page)
    assert not found, describe(url, found)


def submit_report(page, base: str, language: str) -> str:
    """Send a valid report through the public form; returns the receipt shown."""
    page.goto(f"{base}/{language}/report/")
    data = report_form_data()
    for name in ("name_1", "gone_year", "place", "steps_taken", "reporter_name"):
        page.fill(f"[name={name}]", data[name])
    for name in ("what_happened", "responsible", "relationship"):
        page.select_option(f"[name={name}]", data[name])
    page.check(f"[name=consent][value={data['consent']}]")
    page.click("form[method=post] button[type=submit]")
    return page.locator(".receipt").inner_text().strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_any_public_page(language, live_server, browser, transactional_db):
    services.bootstrap("Axe org", "coordinator", PASSWORDS["coordinator"])
    base = live_server.url
    page = browser.new_context().new_page()
    for path in ("/", "/report/", "/receipt/", "/no-such-page/"):
        url = f"{base}/{language}{path}"
        page.goto(url)
        assert_clean(page, url)

    # The form with a mistake in every required field, as a reporter first sees it.
    page.goto(f"{base}/{language}/report/")
    page.click("form[method=post] button[type=submit]")
    assert page.locator("[aria-invalid=true]").count() > 0
    assert_clean(page, f"{page.url} (with errors)")

    receipt = submit_report(page, base, language)
    assert_clean(page, f"{page.url} (the receipt, shown once)")

    page.goto(f"{base}/{language}/receipt/")
    page.fill("[name=receipt]", receipt)
    page.click("form[method=post] button[type=submit]")
    assert_clean(page, f"{page.url} (the report's status)")

    page.goto(f"{base}/{language}/receipt/")
    page.fill("[name=receipt]", "1234")
    page.click("form[method=post] button[type=submit]")
    assert_clean(page, f"{page.url} (a wrong receipt)")


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("Axe org", "coordinator", PASSWORDS["coordinator"])
    key = services.unlock_private_key(result.coordinator, PASSWORDS["coordinator"])
    staff = {"coordinator": result.coordinator}
    for login, role in (
        ("ines", Role.INTAKE),
        ("alice", Role.CASEWORKER),
        ("ada", Role.AUDITOR),
        ("rui", Role.REVIEWER),
    ):
        staff[login] = services.add_staff(login, role, PASSWORDS[login], result.coordinator, key)
    return staff


def signed_in(browser, base: str, staff) -> tuple:
    """A browser signed in as staff with a TOTP device made here; returns the page and
    the unlocked private key."""
    from django_otp.oath import totp

    key = services.unlock_private_key(staff, PASSWORDS[staff.username])
    device, _ = second_factor.enrol_totp(staff, confirmed=True)
    page = browser.new_context().new_page()
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", staff.username)
    page.fill("[name=password]", PASSWORDS[staff.username])
    page.click("form[method=post] button[type=submit]")
    assert page.url.endswith("/staff/verify/")
    assert_clean(page, page.url)
    page.fill("[name=code]", f"{totp(second_factor.totp_seed(device, key)):06d}")
    page.click("form:has([name=code]) button[type=submit]")
    assert page.url.endswith("/staff/"), page.url
    return page, key


def first_time(browser, base: str, staff) -> None:
    """A first sign-in: the enrolment page, then the backup codes shown once."""
    import base64

    from django_otp.oath import totp

    page = browser.new_context().new_page()
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", staff.username)
    page.fill("[name=password]", PASSWORDS[staff.username])
    page.click("form[method=post] button[type=submit]")
    assert page.url.endswith("/staff/enrol/"), page.url
    assert_clean(page, page.url)
    secret = page.locator("code[dir=ltr]").inner_text().strip()
    seed = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("[name=code]", f"{totp(seed):06d}")
    page.click("form:has([name=code]) button[type=submit]")
    assert "Your backup codes" in page.content()
    assert_clean(page, f"{page.url} (backup codes)")


def test_it_finds_no_violation_on_any_staff_page(organisation, live_server, browser):
    base = live_server.url
    reporter = browser.new_context().new_page()
    submit_report(reporter, base, "ug")
    submit_report(reporter, base, "en")

    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{base}/staff/login/")
    assert_clean(anonymous, anonymous.url)
    anonymous.click("form[method=post] button[type=submit]")  # empty: errors shown
    assert_clean(anonymous, f"{anonymous.url} (with errors)")
    first_time(browser, base, organisation["rui"])

    ines, ines_key = signed_in(browser, base, organisation["ines"])
    first, second = Report.objects.order_by("id")[:2]
    person = persons.create_from_report(organisation["ines"], ines_key, first.id, "unverified")
    case_services.assign(organisation["ines"], ines_key, first.id, organisation["alice"])

    pages = {
        "ines": ["/staff/", "/staff/reports/", f"/staff/reports/{second.id}/", "/staff/security/"],
        "alice": [
            "/staff/",
            "/staff/reports/",
            f"/staff/reports/{first.id}/",
            f"/staff/reports/persons/{person.id}/",
            "/staff/reports/persons/",
            "/staff/reports/?replied=1&sort=activity",
            "/staff/reports/?q=zzzz",
            "/staff/password/",
        ],
        "coordinator": [
            "/staff/",
            "/staff/people/",
            "/staff/reports/overview/",
            "/staff/reports/statistics/",
            "/staff/reports/statistics/?from_month=2099-13",
        ],
        "ada": ["/staff/", "/staff/audit/", "/staff/audit/?action=login&start=nonsense"],
    }
    sessions = {"ines": ines}
    for login, paths in pages.items():
        page = sessions.get(login) or signed_in(browser, base, organisation[login])[0]
        for path in paths:
            response = page.goto(f"{base}{path}")
            # A filter with a mistake answers 400 with the error on the page.
            assert response.status in (200, 400), (path, response.status)
            assert_clean(page, f"{path} as {login}")

    # A form with mistakes on a staff page: a triage to a case that does not exist.
    ines.goto(f"{base}/staff/reports/{second.id}/")
    ines.fill("[name=case_number]", "999")
    ines.click("form:has([name=case_number]) button[type=submit]")
    assert ines.locator("[aria-invalid=true]").count() > 0
    assert_clean(ines, "triage with a mistake")
