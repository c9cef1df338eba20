"""A caseworker reads a report in a real browser: every value in its own direction but
starting at the page's start edge (no zig-zag), and an attached photo shown inline
under the page's strict Content Security Policy."""

from __future__ import annotations

import io

from PIL import Image

from tests.e2e.test_staff_in_browser import organisation, sign_in_first_time  # noqa: F401

# The left edge of each value's text, and of its cell, in CSS pixels.
EDGES = """() => [...document.querySelectorAll('.fields dd')].map(dd => {
  const range = document.createRange();
  range.selectNodeContents(dd);
  return {text: dd.innerText, rtl: dd.matches(':dir(rtl)'),
          cell: dd.getBoundingClientRect().left, text_left: range.getBoundingClientRect().left};
})"""


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_caseworker_reads_a_report_in_words(organisation, live_server, browser, tmp_path):  # noqa: F811
    base = live_server.url
    family = browser.new_context(java_script_enabled=False).new_page()
    family.goto(f"{base}/en/report/")
    for name, value in {
        "name_1": "ئابدۇرەھىم تۇرسۇن",
        "gone_year": "2018",
        "place": "Yarkand county",
        "steps_taken": "ئەلچىخانىغا خەت يازدۇق",
        "reporter_name": "Gulnar",
        "narrative": "He was taken from his home at night by two officers.",
    }.items():
        family.fill(f"[name={name}]", value)
    family.select_option("[name=script_1]", "ug-arab")
    family.select_option("[name=gone_month]", "4")
    for name, value in {
        "what_happened": "camp",
        "responsible": "police",
        "relationship": "sibling",
    }.items():
        family.select_option(f"[name={name}]", value)
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(photo())
    family.set_input_files("[name=attachments]", str(picture))
    family.check("[name=consent][value=internal]")  # nothing is chosen in advance
    family.click("button[type=submit]")
    assert family.locator(".receipt").count() == 1

    staff = browser.new_context().new_page()
    problems: list[str] = []
    staff.on("console", lambda message: problems.append(message.text))
    sign_in_first_time(staff, base, "ines")
    staff.goto(f"{base}/staff/reports/")
    staff.locator("table.inbox a").first.click()

    text = staff.locator("main").inner_text()
    assert "Taken to a camp" in text
    assert "April 2018" in text
    assert "Uyghur (Arabic script)" in text

    edges = staff.evaluate(EDGES)
    assert any(edge["rtl"] for edge in edges), edges
    assert any(not edge["rtl"] for edge in edges), edges
    for edge in edges:
        assert abs(edge["text_left"] - edge["cell"]) < 2, edge

    image = staff.locator("img.preview")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    assert image.get_attribute("alt").startswith("Photo sent with the report")
    assert not [p for p in problems if "Content Security Policy" in p], problems
