"""The Staff page in a real browser, with two coordinators: a failed row action comes
back to /staff/people/ with its error, the next add is a proposal (not a reset of the
row's person), and the second coordinator approves it."""

from __future__ import annotations

import pytest

from accounts import services
from accounts.models import Role, Staff
from tests.e2e.test_staff_in_browser import PASSWORDS, code, sign_in_first_time

COORDINATORS = {"coordinator": "coordinator-pass-e2e-1", "cora": "cora-pass-e2e-second-1"}


@pytest.fixture
def organisation(transactional_db):
    result = services.bootstrap("E2E org", "coordinator", COORDINATORS["coordinator"])
    key = services.unlock_private_key(result.coordinator, COORDINATORS["coordinator"])
    services.add_staff("cora", Role.COORDINATOR, COORDINATORS["cora"], result.coordinator, key)
    services.add_staff("alice", Role.CASEWORKER, PASSWORDS["alice"], result.coordinator, key)
    PASSWORDS.update(COORDINATORS)
    yield result.organisation
    for name in COORDINATORS:
        PASSWORDS.pop(name, None)


def test_people_page_with_two_coordinators(organisation, live_server, browser):
    base = live_server.url
    alice = Staff.objects.get(username="alice")
    holder = alice.holder_id

    first = browser.new_context().new_page()
    secret = sign_in_first_time(first, base, "coordinator")
    first.goto(f"{base}/staff/people/")
    row = first.locator(f"#staff-{alice.pk}")
    assert row.locator("select[name=role]").input_value() == "caseworker"

    # A row action that fails: a wrong code.
    row.locator("form:has(button:text('Propose a password reset')) [name=code]").fill("000000")
    row.locator("button:text('Propose a password reset')").click()
    assert first.url == f"{base}/staff/people/"
    assert "No reset proposed for alice" in first.locator(".notices").inner_text()

    # The add form on that page posts to the Staff page, and proposes.
    first.fill("#id_new_username", "nur")
    first.select_option("#id_new_role", "intake")
    first.wait_for_timeout(1100)  # the wrong code throttles the device for a second
    first.fill("#id_new_code", code(secret, ahead=1))
    first.click("form:has(#id_new_username) button[type=submit]")
    assert first.url == f"{base}/staff/people/"
    assert "Proposed: a new intake caseworker account for nur" in first.content()
    assert "Pending:" in first.content()
    assert Staff.objects.get(pk=alice.pk).holder_id == holder
    assert not Staff.objects.filter(username="nur").exists()
    assert first.locator("button:text('Approve as second coordinator')").count() == 0

    second = browser.new_context().new_page()
    cora_secret = sign_in_first_time(second, base, "cora")
    second.goto(f"{base}/staff/people/")
    pending = second.locator("section.pending")
    pending.locator("form:has(button:text('Approve as second coordinator')) [type=password]").fill(
        "nur-first-from-cora-31"
    )
    pending.locator("form:has(button:text('Approve as second coordinator')) [name=code]").fill(
        code(cora_secret, ahead=1)
    )
    pending.locator("button:text('Approve as second coordinator')").click()
    assert second.url == f"{base}/staff/people/"
    assert "Approved and done: a new intake caseworker account for nur" in second.content()
    nur = Staff.objects.get(username="nur")
    assert nur.role == Role.INTAKE and nur.must_change_password
    assert second.locator(f"#staff-{nur.pk} select[name=role]").input_value() == "intake"
