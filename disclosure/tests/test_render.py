import datetime
import io
import json
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from weasyprint.urls import FatalURLFetchingError

from disclosure import render
from disclosure.pdf_text import logical_text
from disclosure.render import Document, Section
from disclosure.tests.documents import document

UYGHUR = "مەمەت تۇرسۇن 2017-يىلى ئۆيىدىن ئېلىپ كېتىلگەن"
# "Salam Abla": lam before alef, which the font joins in a special way.
UYGHUR_LIGATURE = "سالام ئابلا"
CHINESE = "麦麦提·吐尔逊于2017年在伊宁被带走。"
CYRILLIC = "Мемет Турсун, Қазақстан, Өскемен"
NAMES_CSV = Path(__file__).resolve().parents[2] / "names" / "data" / "chinese_names.csv"
# The letters of the Uyghur Arabic-script alphabet.
UYGHUR_LETTERS = "ئابپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىي"
KAZAKH_CYRILLIC = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


DOC = document(
    Section("Summary", "The relative was taken from home by [agency] officers."),
    Section("Account in Uyghur", f"{UYGHUR}\n{UYGHUR_LIGATURE}"),
    Section("Names as written", f"{CHINESE}\n{CYRILLIC}"),
)


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render.pdf(DOC)


def page_lines(data: bytes) -> list[list[str]]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [
            [
                unicodedata.normalize("NFKC", line)
                for line in logical_text(page.get_textpage()).split("\n")
            ]
            for page in pdf
        ]
    finally:
        pdf.close()


def test_it_gives_back_uyghur_in_logical_order(rendered: bytes) -> None:
    lines = page_lines(rendered)[0]
    assert UYGHUR in lines
    assert UYGHUR_LIGATURE in lines


def test_it_gives_back_mixed_lines_and_a_long_paragraph_in_logical_order() -> None:
    long = " ".join([UYGHUR + "،"] * 6)  # wraps over three lines, right to left
    mixed = "The family of مەمەت تۇرسۇن (Memet Tursun) says he was taken in 2017."
    mixed_rtl = "مەمەت تۇرسۇن (Memet Tursun) 2017-يىلى ئېلىپ كېتىلگەن"
    lines = page_lines(render.pdf(document(Section("U", f"{long}\n{mixed}\n{mixed_rtl}"))))[0]
    assert mixed in lines
    assert mixed_rtl in lines
    start = next(i for i, line in enumerate(lines) if line.startswith(UYGHUR[:5]))
    assert " ".join(lines[start : start + 3]) == long


def test_it_sets_a_uyghur_paragraph_right_to_left() -> None:
    assert f'<p dir="rtl">{UYGHUR}</p>' in render.html_text(DOC)
    assert '<p dir="ltr">The relative' in render.html_text(DOC)


def test_it_aligns_the_uyghur_line_on_the_right_margin(rendered: bytes) -> None:
    pdf = pdfium.PdfDocument(rendered)
    textpage = pdf[0].get_textpage()
    text = textpage.get_text_range()
    first = text.index(UYGHUR[:4])
    right = max(textpage.get_charbox(first + i)[2] for i in range(len(UYGHUR)))
    width = pdf[0].get_width()
    left_of_latin = textpage.get_charbox(text.index("The relative"))[0]
    # The A4 page has 18 mm margins on both sides: the right-to-left line ends where the
    # left-to-right one starts, counted from the other edge.
    assert right == pytest.approx(width - left_of_latin, abs=2)
    pdf.close()


def test_it_shapes_arabic_script() -> None:
    # Shaped, beh takes its short initial form at the start of "بلا" and its wide isolated
    # form alone; unshaped, both would be the same isolated glyph.
    pdf = pdfium.PdfDocument(render.pdf(document(Section("Beh", "ب بلا"))))
    textpage = pdf[0].get_textpage()
    chars = [
        chr(pdfium.raw.FPDFText_GetUnicode(textpage, i)) for i in range(textpage.count_chars())
    ]
    widths = [
        textpage.get_charbox(i)[2] - textpage.get_charbox(i)[0]
        for i, char in enumerate(chars)
        if char == "ب"
    ]
    pdf.close()
    assert len(widths) == 2
    assert max(widths) > 1.5 * min(widths)


def test_it_gives_back_chinese_and_cyrillic(rendered: bytes) -> None:
    lines = page_lines(rendered)[0]
    assert CHINESE in lines
    assert CYRILLIC in lines


def test_it_draws_only_with_the_shipped_fonts(rendered: bytes) -> None:
    with pikepdf.open(io.BytesIO(rendered)) as pdf:
        fonts = {
            str(font.BaseFont).split("+", 1)[1]
            for page in pdf.pages
            for font in page.Resources.Font.values()
        }
    assert fonts == {"Amanat-Sans", "Amanat-Sans-Bold", "Amanat-Naskh", "Amanat-CJK"}


def cmap(file: str) -> set[int]:
    return set(TTFont(render.FONTS / file).getBestCmap())


def test_it_ships_a_glyph_for_every_chinese_name_character() -> None:
    chars: set[int] = set()
    for line in NAMES_CSV.read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#") and not line.startswith("characters,"):
            chars.update(ord(c) for c in line.split(",")[0])
    assert len(chars) > 100
    assert not chars - cmap("NotoSansSC-Regular-subset.otf")


def test_it_ships_gb2312_level_1() -> None:
    level1 = {
        ord(bytes([row, cell]).decode("gb2312"))
        for row in range(0xB0, 0xD7)
        for cell in range(0xA1, 0xFF)
    }
    assert not level1 - cmap("NotoSansSC-Regular-subset.otf")


def test_it_ships_the_uyghur_and_kazakh_letters() -> None:
    assert not {ord(c) for c in UYGHUR_LETTERS} - cmap("NotoNaskhArabic-Regular.ttf")
    assert not {ord(c) for c in KAZAKH_CYRILLIC + "éöüğşı"} - cmap("NotoSans-Regular.ttf")


def test_it_ships_the_font_licence() -> None:
    assert "SIL OPEN FONT LICENSE Version 1.1" in (render.FONTS / "OFL.txt").read_text()


def test_it_keeps_only_the_export_id_as_metadata(rendered: bytes) -> None:
    with pikepdf.open(io.BytesIO(rendered)) as pdf:
        assert dict(pdf.docinfo) == {"/Title": "EXP-7K3Q-9M2D"}
        assert set(pdf.Root.keys()) == {"/Type", "/Pages"}
        assert all("/Annots" not in page.obj for page in pdf.pages)
        assert not [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/Metadata"
        ]
    assert b"WeasyPrint" not in rendered
    assert b"CreationDate" not in rendered


def test_it_puts_the_export_id_and_page_number_in_every_footer() -> None:
    long = document(*(Section(f"Part {i}", "A line of the account.\n" * 30) for i in range(4)))
    pages = page_lines(render.pdf(long))
    assert len(pages) > 1
    for number, lines in enumerate(pages, start=1):
        assert lines[-1] == f"EXP-7K3Q-9M2D \u2014 page {number} of {len(pages)}"


def test_it_escapes_markup_in_the_text() -> None:
    doc = document(Section("<b>x</b>", '<a href="https://example.org">link</a> & more'))
    page = "\n".join(page_lines(render.pdf(doc))[0])
    assert '<a href="https://example.org">link</a> & more' in page
    with pikepdf.open(io.BytesIO(render.pdf(doc))) as pdf:
        assert all("/Annots" not in p.obj for p in pdf.pages)


def test_it_writes_the_same_content_as_json() -> None:
    got = json.loads(render.json_bytes(DOC).decode("utf-8"))
    assert list(got) == ["export_id", "title", "day", "recipient", "sections"]
    assert got == {
        "export_id": DOC.export_id,
        "title": DOC.title,
        "day": "2026-11-30",
        "recipient": "WGEID",
        "sections": [{"heading": s.heading, "text": s.text} for s in DOC.sections],
    }
    assert UYGHUR.encode("utf-8") in render.json_bytes(DOC)


def test_it_refuses_any_url_but_the_shipped_fonts() -> None:
    fetcher = render.FontsOnly()
    assert fetcher.fetch((render.FONTS / "NotoSans-Regular.ttf").as_uri()).read()[:4]
    for url in (
        "https://example.org/font.ttf",
        "file:///etc/passwd",
        (render.FONTS / "OFL.txt").as_uri(),
        (render.FONTS / ".." / "render.py").as_uri(),
    ):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


@pytest.mark.parametrize(
    "export_id", ["exp-1", 'EXP-7K3Q-9M2D"; x', "550e8400-e29b-41d4-a716-446655440000", ""]
)
def test_it_refuses_an_export_id_of_another_shape(export_id: str) -> None:
    with pytest.raises(ValueError, match="export id"):
        Document(export_id, "t", datetime.date(2026, 1, 1), "WGEID", ())


def test_it_refuses_sections_that_are_not_text() -> None:
    with pytest.raises(ValueError, match="Sections of text"):
        Document("EXP-7K3Q-9M2D", "t", datetime.date(2026, 1, 1), "WGEID", (("h", "t"),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Sections of text"):
        Document("EXP-7K3Q-9M2D", "t", datetime.date(2026, 1, 1), "WGEID", (Section("h", None),))  # type: ignore[arg-type]


def test_it_refuses_a_broken_character() -> None:
    with pytest.raises(ValueError, match="broken character"):
        document(Section("Account", "half of a pair: \ud83d"))


def test_it_refuses_a_time_of_day() -> None:
    with pytest.raises(ValueError, match="without a time"):
        Document("EXP-7K3Q-9M2D", "t", datetime.datetime(2026, 1, 1, 9, 30), "WGEID", ())


def test_it_keeps_the_text_out_of_reprs() -> None:
    assert UYGHUR not in repr(DOC)
    assert "Summary" not in repr(DOC.sections[0])


def test_it_renders_the_same_bytes_each_time(rendered: bytes) -> None:
    # Nothing of the moment (time, random ids) goes into the file.
    assert render.pdf(DOC) == rendered


def test_it_names_the_characters_no_shipped_font_draws() -> None:
    assert render.missing_glyphs(DOC) == []
    doc = document(Section("Account", "A smile \U0001f600 and \U00020000 and \u0645"))
    assert render.missing_glyphs(doc) == ["\U0001f600", "\U00020000"]
