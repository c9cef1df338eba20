"""A reporter in Kazakh, with JavaScript off: consent is theirs to choose, errors are
tied to their fields, the receipt page keeps them until they confirm, each step has
its own title, and the site's icon is found."""

from __future__ import annotations

import pytest

from accounts import services
from intake.models import Consent, Report

SUFFIX = " \N{EN DASH} Amanat"


@pytest.fixture
def organisation(transactional_db):
    return services.bootstrap("E2E org", "coordinator", "coordinator-pass-e2e-1").organisation


def assert_references_resolve(page) -> None:
    for element in page.locator("[aria-describedby]").all():
        for ref in element.get_attribute("aria-describedby").split():
            assert page.locator(f"#{ref}").count() == 1, ref


def test_a_reporter_chooses_consent_and_confirms_the_receipt(
    organisation, live_server, page_without_js
):
    page = page_without_js
    failures = []  # pages or files not found, such as an icon
    page.on("response", lambda r: failures.append(r.url) if r.status == 404 else None)
    page.goto(f"{live_server.url}/kk/report/")
    assert page.title() == "Нысан" + SUFFIX
    radios = page.locator("[name=consent]")
    assert radios.first.get_attribute("value") == Consent.INTERNAL
    assert page.locator("[name=consent]:checked").count() == 0
    # The note on the WGEID sits between the last UN option and the next option.
    note = page.locator("#id_consent_un_note").bounding_box()
    un_named = page.locator("label:has(#id_consent_2)").bounding_box()
    partners = page.locator("label:has(#id_consent_3)").bounding_box()
    assert un_named["y"] + un_named["height"] <= note["y"] + 1
    assert note["y"] + note["height"] <= partners["y"] + 1
    assert_references_resolve(page)

    for name, value in {
        "name_1": "Ерлан Сейітқали",
        "gone_year": "2017",
        "place": "Құлжа",
        "steps_taken": "Елшілікке хат жаздық",
        "reporter_name": "Айгүл",
    }.items():
        page.fill(f"[name={name}]", value)
    for name, value in {"what_happened": "camp", "responsible": "police"}.items():
        page.select_option(f"[name={name}]", value)
    page.select_option("[name=relationship]", "sibling")
    page.click("form[action$='/report/'] button[type=submit]")

    # No choice: refused, the question named, the error tied to the group.
    assert page.title() == "Нысан: тексеріңіз" + SUFFIX
    assert page.locator("#id_consent_error").is_visible()
    described = page.locator("fieldset:has([name=consent])").get_attribute("aria-describedby")
    assert "id_consent_error" in described.split()
    assert page.locator(".summary a[href='#id_consent_0']").count() == 1
    assert_references_resolve(page)
    assert not Report.objects.exists()

    page.check("[name=consent][value=internal]")
    page.click("form[action$='/report/'] button[type=submit]")

    assert page.title() == "Түбіртек" + SUFFIX
    receipt = page.locator(".receipt").inner_text().strip()
    assert len(receipt.replace(" ", "")) == 21
    links = page.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("class") == "exit"
    assert page.locator("nav.langs").count() == 0
    page.click("form[action$='/receipt/noted/'] button[type=submit]")

    assert page.title() == "Жіберілді" + SUFFIX
    assert page.locator("nav.langs a").count() == 6
    assert page.locator("a[href='/kk/']").count() >= 1  # the site name and "back to the start"
    assert receipt not in page.content()
    assert "/receipt/noted/" in page.url and receipt.replace(" ", "") not in page.url
    assert Report.objects.get().consent == Consent.INTERNAL

    icon = page.goto(f"{live_server.url}/favicon.ico")
    assert icon.ok and icon.url.endswith("/static/img/favicon.ico")
    assert failures == []
