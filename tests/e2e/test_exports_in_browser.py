"""An export in a real browser: Alice, the caseworker, prepares the case for the UN
Working Group; the page shows the redacted version (the witness and the father hidden
behind fixed labels, the missing person named); she cannot approve her own export; Ines
approves the exact version; Alice releases it with a fresh code and downloads the PDF,
which carries none of what was hidden. Every page passes the accessibility check."""

from __future__ import annotations

import io

import pypdfium2

from accounts import services
from accounts.models import Reason, SealedTOTPDevice, Staff
from cases import case_keys, persons
from disclosure import recipients
from disclosure.models import Export, State
from intake import submission

from .accessibility import describe, problems
from .test_duplicates_in_browser import COORDINATOR_PASSWORD, sign_in
from .test_staff_in_browser import PASSWORDS, code, organisation

__all__ = ["organisation"]  # the fixture, shared

WGEID = "UN Working Group on Enforced or Involuntary Disappearances"
CONTENT = {
    "missing": {
        "names": [{"name": "Memet Tursun", "script": "latin"}],
        "father_name": "Tursun Ablimit",
        "sex": "male",
        "ethnicity": "uyghur",
        "home_county": "Yarkand",
        "birth_date": {"year": 1984, "month": None, "day": None},
    },
    "disappearance": {
        "date": {"year": 2018, "month": 4, "day": None},
        "place": "At home",
        "what_happened": "camp",
        "responsible": "police",
        "steps_taken": "We wrote to the embassy.",
        "narrative": "Police took him at night. Abdukerim Rozi saw the car. "
        "Our father تۇرسۇن ئابلىمىت asked for him.",
        "witnesses": "Abdukerim Rozi",
    },
    "reporter": {"reporter_name": "Gulnar Hesen", "relationship": "sibling"},
}


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_an_export_is_drafted_redacted_approved_and_released(organisation, live_server, browser):
    base = live_server.url
    ines = Staff.objects.get(username="ines")
    alice = Staff.objects.get(username="alice")
    ines_key = services.unlock_private_key(ines, PASSWORDS["ines"])
    report = submission.submit(
        CONTENT, language="en", consent="un-confidential", region="kashgar", files=[]
    ).report
    case = persons.create_from_report(ines, ines_key, report.id, "partly")
    case_keys.share(ines.holder, ines_key, report.id, to={alice.holder_id: Reason.ASSIGNED})
    coordinator = Staff.objects.get(username="coordinator")
    chief_key = services.unlock_private_key(coordinator, COORDINATOR_PASSWORD)
    recipients.add(coordinator, chief_key, "un", WGEID)

    page = browser.new_context(accept_downloads=True).new_page()
    secret = sign_in(page, base, "alice", PASSWORDS["alice"])
    page.goto(f"{base}/staff/reports/persons/{case.id}/")
    page.click("text=Prepare an export")
    assert problems(page) == [], describe(page.url, problems(page))
    # A mistake first: nothing chosen, no recipient.
    page.click("text=Prepare the draft")
    main = page.locator("main").inner_text()
    assert "Choose what to prepare." in main and "Choose who the export is for." in main
    page.check("input[name=template][value=wgeid]")
    page.select_option("[name=recipient]", label=f"{WGEID} (UN human rights mechanism)")
    page.click("text=Prepare the draft")
    export = Export.objects.get()
    assert page.url.endswith(f"/staff/exports/{export.id}/")
    preview = page.locator(".export-preview").inner_text()
    assert "Memet Tursun" in preview
    assert "[witness's name]" in preview and "Abdukerim" not in preview
    assert "تۇرسۇن ئابلىمىت" not in preview and "Gulnar" not in preview
    assert page.locator("text=Approve this version").count() == 0  # not the author's
    assert problems(page) == [], describe(page.url, problems(page))

    # Ines, a second holder of the case, reads and approves the exact version.
    second = browser.new_context().new_page()
    sign_in(second, base, "ines", PASSWORDS["ines"])
    second.goto(f"{base}/staff/exports/{export.id}/")
    assert "Memet Tursun" in second.locator(".export-preview").inner_text()
    second.click("text=Approve this version")
    assert "Approved" in second.locator("main").inner_text()
    export.refresh_from_db()
    assert export.state == State.APPROVED and export.reviewer == ines

    # Alice releases it with a fresh code and downloads what was sent.
    page.reload()
    SealedTOTPDevice.objects.filter(user=alice).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    page.fill("[name=code]", code(secret, ahead=1))
    page.click("form[action$='/release/'] button[type=submit]")
    assert "Released" in page.locator("main").inner_text(), page.locator("main").inner_text()
    export.refresh_from_db()
    assert export.state == State.RELEASED
    with page.expect_download() as download:
        page.click(f"text={export.public_id}.pdf")
    data = open(download.value.path(), "rb").read()
    text = pdf_text(data)
    assert "Memet Tursun" in text and export.public_id in text
    for hidden in ("Abdukerim", "Gulnar", "ئابلىمىت", str(case.id), "alice"):
        assert hidden not in text
    assert problems(page) == [], describe(page.url, problems(page))


def test_a_coordinator_keeps_the_register_of_recipients(organisation, live_server, browser):
    base = live_server.url
    page = browser.new_context().new_page()
    sign_in(page, base, "coordinator", COORDINATOR_PASSWORD)
    page.click("nav >> text=Exports")
    page.click("text=The register of recipients")
    assert problems(page) == [], describe(page.url, problems(page))
    # A mistake first: no kind, no name.
    page.click("text=Add to the register")
    main = page.locator("main").inner_text()
    assert "Choose the kind of recipient." in main and "Write the recipient's name." in main
    page.check("input[name=kind][value=partner]")
    page.fill("[name=name]", "Partner organisation in Istanbul")
    page.click("text=Add to the register")
    assert "Partner organisation in Istanbul" in page.locator("table").inner_text()
    assert problems(page) == [], describe(page.url, problems(page))
    page.click("button:has-text('Retire')")
    page.locator("text=Use again").wait_for()  # the page comes back with it retired
    assert "no" in page.locator("table").inner_text()
