import io
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import pikepdf
import pypdfium2 as pdfium
import pytest

from disclosure import leakcheck, patterns, pdf_text, render
from disclosure.leakcheck import Hit, LeakCheckError
from disclosure.render import Document, Section
from disclosure.tests.documents import document

STAFF_ID = "6f1c2a9e-3b7d-4c51-9a0e-5d2f8b4c7e10"
STAFF_NAME = "Ayla Demir"
LITERALS = [STAFF_ID, STAFF_NAME]
SENSITIVE = ["Memet Tursun", "مەمەت تۇرسۇن", "麦麦提", "Мемет", "name"]


def find(text: str) -> Iterator[tuple[int, int, str]]:
    """A stand-in for the case's finder: a few names in four scripts and ID-like digits."""
    words = "|".join(re.escape(w) for w in SENSITIVE)
    for match in re.finditer(words, text):
        yield match.start(), match.end(), "name"
    for match in re.finditer(r"(?<!\d)\d{15,18}(?!\d)", text):
        yield match.start(), match.end(), "id number"


FILLER = "The relative was taken from home by [agency] officers and has not been heard of.\n" * 40


CLEAN = document(
    Section("Summary", FILLER),
    Section(
        "Account",
        "[relative's name] was taken in 2017 by [agency] officers.\n"
        "[relative's name] 2017-يىلى ئۆيىدىن ئېلىپ كېتىلگەن\n"
        "[relative's name]于2017年被带走。[phone number]",
    ),
)


@pytest.fixture(scope="module")
def clean_pdf() -> bytes:
    return render.pdf(CLEAN)


def check(pdf: bytes, doc: Document = CLEAN, labels: list[str] | None = None) -> list[Hit]:
    return leakcheck.check(pdf, render.json_bytes(doc), find, LITERALS, labels=labels)


Change = Callable[[pikepdf.Pdf], None]


def edited(pdf: bytes, change: Change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        change(doc)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def hidden_text(content: bytes) -> Change:
    """A change that draws text with a standard font before the page's own content."""

    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0]
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        page.Resources.Font[pikepdf.Name.Fhidden] = font
        page.contents_add(pikepdf.Stream(pdf, content), prepend=True)

    return change


def test_it_passes_a_clean_export(clean_pdf: bytes) -> None:
    assert check(clean_pdf) == []


def test_it_finds_a_name_left_in_a_section_on_its_page() -> None:
    doc = document(Section("Summary", FILLER * 2), Section("Account", "He is Memet Tursun."))
    data = render.pdf(doc)
    pages = len(pikepdf.open(io.BytesIO(data)).pages)
    assert pages > 1
    hits = check(data, doc)
    assert {(h.where, h.kind) for h in hits} == {
        (f"PDF page {pages}", "name"),
        ("JSON sections[1].text", "name"),
    }
    assert all("He is Memet Tursun." in h.excerpt for h in hits)


def test_it_finds_a_name_in_another_script() -> None:
    doc = document(Section("Account", "ئۇ مەمەت تۇرسۇن\n麦麦提·吐尔逊"))
    hits = check(render.pdf(doc), doc)
    # Each place reports the Uyghur name and the Chinese one.
    assert sorted(h.where for h in hits) == ["JSON sections[0].text"] * 2 + ["PDF page 1"] * 2
    assert all("ئۇ مەمەت تۇرسۇن 麦麦提·吐尔逊" in h.excerpt for h in hits)


@pytest.mark.parametrize(
    "written",
    [STAFF_ID, STAFF_ID.replace("-", ""), STAFF_ID.upper(), STAFF_ID.replace("-", " - ")],
)
def test_it_finds_an_internal_id_however_it_is_written(written: str) -> None:
    doc = document(Section("Account", f"Reference {written} in the file."))
    hits = check(render.pdf(doc), doc)
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF page 1", "internal id"),
        ("JSON sections[0].text", "internal id"),
    }


def test_it_finds_a_staff_name_in_full_width_letters_and_other_case() -> None:
    doc = document(Section("Account", "Reviewed by \uff21\uff39\uff2c\uff21 demir."))
    hits = check(render.pdf(doc), doc)
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF page 1", "staff name or literal"),
        ("JSON sections[0].text", "staff name or literal"),
    }


def test_it_matches_a_literal_only_as_whole_words(clean_pdf: bytes) -> None:
    json_data = render.json_bytes(CLEAN).replace(
        b'"WGEID"', '"WGEID; Ali Alimjan; \u827e\u529b\u6c5f"'.encode()
    )
    got = leakcheck.check(clean_pdf, json_data, find, ["Ali", "Ali Alim", "\u827e\u529b"])
    assert [(h.where, h.excerpt) for h in got] == [
        ("JSON recipient", "wgeid; ali alimjan; \u827e\u529b\u6c5f"),  # "Ali" alone
        ("JSON recipient", "wgeid; ali alimjan; \u827e\u529b\u6c5f"),  # the first two characters
    ]


def test_the_exports_own_id_is_not_a_handle_but_a_handle_beside_it_is() -> None:
    # "QQ" is a messaging service: after a dash, "QQ6R-5V52" reads as its id.
    doc = replace(
        document(Section("Account", "His QQ: 6R5V52x, given by his sister.")),
        export_id="EXP-QQ6R-5V52",
    )
    pdf, data = render.pdf(doc), render.json_bytes(doc)
    wheres = {h.where for h in leakcheck.check(pdf, data, patterns.handles, [])}
    assert {"PDF metadata /Title", "JSON export_id"} <= wheres
    own = leakcheck.check(pdf, data, patterns.handles, [], own_ids=["EXP-QQ6R-5V52"])
    assert {(h.where, h.kind) for h in own} == {
        ("PDF page 1", "handle"),
        ("JSON sections[0].text", "handle"),
    }
    assert all("6R5V52x" in h.excerpt for h in own)
    # Written inside a longer word it is not the id, and is checked like any other text.
    longer = replace(doc, sections=(Section("Account", "EXP-QQ6R-5V52B"),))
    pdf, data = render.pdf(longer), render.json_bytes(longer)
    own = leakcheck.check(pdf, data, patterns.handles, [], own_ids=["EXP-QQ6R-5V52"])
    assert {h.where for h in own} == {"PDF page 1", "JSON sections[0].text"}


def test_it_finds_a_literal_in_the_json_only(clean_pdf: bytes) -> None:
    json_data = render.json_bytes(CLEAN).replace(b'"WGEID"', b'"WGEID for Ayla Demir"')
    hits = leakcheck.check(clean_pdf, json_data, find, LITERALS)
    assert [(h.where, h.kind) for h in hits] == [("JSON recipient", "staff name or literal")]


def test_it_reports_metadata_other_than_the_title(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo[pikepdf.Name.Author] = "Ayla Demir"
        pdf.docinfo[pikepdf.Name.Producer] = "a PDF tool"

    hits = check(edited(clean_pdf, plant))
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF metadata /Author", "metadata"),
        ("PDF metadata /Author", "staff name or literal"),
        ("PDF metadata /Producer", "metadata"),
    }


def test_it_runs_the_finder_over_the_title(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo[pikepdf.Name.Title] = "Memet Tursun"

    assert [(h.where, h.kind) for h in check(edited(clean_pdf, plant))] == [
        ("PDF metadata /Title", "name")
    ]


def test_it_reports_xmp_metadata(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = ["somebody"]

    kinds = {h.kind for h in check(edited(clean_pdf, plant))}
    assert "XMP metadata" in kinds


def test_it_reports_an_annotation(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        note = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 20, 20],
            Contents=pikepdf.String("ask Memet Tursun"),
        )
        pdf.pages[0].obj[pikepdf.Name.Annots] = pdf.make_indirect(pikepdf.Array([note]))

    hits = check(edited(clean_pdf, plant))
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF annotation (page 1)", "annotation /Text"),
        ("PDF annotation (page 1)", "name"),
    }


def test_it_reports_an_embedded_file(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"internal notes")

    kinds = {h.kind for h in check(edited(clean_pdf, plant))}
    assert "embedded file" in kinds


def test_it_reports_javascript(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root[pikepdf.Name.OpenAction] = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )

    kinds = {h.kind for h in check(edited(clean_pdf, plant))}
    assert {"action", "JavaScript"} <= kinds


def test_it_reports_layers_and_forms(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="hidden"))
        pdf.Root[pikepdf.Name.OCProperties] = pikepdf.Dictionary(OCGs=[layer], D={})
        pdf.Root[pikepdf.Name.AcroForm] = pikepdf.Dictionary(Fields=[])

    kinds = {h.kind for h in check(edited(clean_pdf, plant))}
    assert {"optional content (layers)", "form"} <= kinds


def test_it_finds_text_under_a_black_rectangle(clean_pdf: bytes) -> None:
    content = b"q BT /Fhidden 12 Tf 100 400 Td (Memet Tursun) Tj ET 0 0 0 rg 95 395 110 20 re f Q\n"
    hits = check(edited(clean_pdf, hidden_text(content)))
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF page 1", "name"),
        ("PDF page 1", "text under a shape"),
    }
    assert any(h.excerpt == "Memet Tursun" for h in hits)


def test_it_finds_invisible_text(clean_pdf: bytes) -> None:
    content = b"q BT 3 Tr /Fhidden 12 Tf 100 400 Td (Memet Tursun) Tj ET Q\n"
    hits = check(edited(clean_pdf, hidden_text(content)))
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF page 1", "name"),
        ("PDF page 1", "invisible text"),
    }


def test_it_reports_invisible_text_the_finder_does_not_know(clean_pdf: bytes) -> None:
    content = b"q BT 3 Tr /Fhidden 12 Tf 100 400 Td (case notes) Tj ET Q\n"
    hits = check(edited(clean_pdf, hidden_text(content)))
    assert [(h.where, h.kind) for h in hits] == [("PDF page 1", "invisible text")]


def test_it_lets_visible_text_beside_a_shape_pass(clean_pdf: bytes) -> None:
    content = b"q BT /Fhidden 12 Tf 100 400 Td (case notes) Tj ET 0 0 0 rg 300 395 50 20 re f Q\n"
    assert check(edited(clean_pdf, hidden_text(content))) == []


def test_it_lets_a_finder_hit_inside_a_label_pass() -> None:
    # "name" is one of the finder's words: inside "[relative's name]" it is what
    # redaction left; outside a label, or in a bracket that holds a name, it is a leak.
    doc = document(Section("Account", "[relative's name] and [Memet Tursun] and the name"))
    hits = check(render.pdf(doc), doc)
    excerpts = [h.excerpt for h in hits if h.where == "JSON sections[0].text"]
    assert len(excerpts) == 2
    assert all("Memet Tursun" in e or e.endswith("the name") for e in excerpts)


def test_it_lets_a_label_broken_over_two_lines_pass() -> None:
    # A word long enough to push the label to the end of the line, where it wraps.
    text = "x" * 5 + " word" * 14 + " [relative's name] was taken."
    doc = document(Section("Account", text))
    data = render.pdf(doc)
    page = leakcheck_page_text(data)
    assert "[relative's\nname]" in page
    assert check(data, doc) == []


def leakcheck_page_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return pdf_text.logical_text(pdf[0].get_textpage())
    finally:
        pdf.close()


def test_it_accepts_only_the_labels_it_is_given() -> None:
    doc = document(Section("Account", "[relative's name] and [the name]"))
    hits = check(render.pdf(doc), doc, labels=["[relative's name]"])
    in_json = [h for h in hits if h.where == "JSON sections[0].text"]
    assert len(in_json) == 1
    assert in_json[0].excerpt.endswith("and [the name]")


def test_it_reports_extra_json_fields_and_a_time(clean_pdf: bytes) -> None:
    json_data = render.json_bytes(CLEAN).replace(
        b'"day": "2026-11-30"', b'"day": "2026-11-30T09:12:00", "case_id": 41'
    )
    hits = leakcheck.check(clean_pdf, json_data, find, LITERALS)
    assert {(h.where, h.kind) for h in hits} == {
        ("JSON case_id", "extra field"),
        ("JSON day", "not a bare day"),
    }


def test_it_refuses_a_file_it_cannot_read(clean_pdf: bytes) -> None:
    with pytest.raises(LeakCheckError, match="PDF"):
        leakcheck.check(b"%PDF-1.7 broken", render.json_bytes(CLEAN), find, LITERALS)
    with pytest.raises(LeakCheckError, match="JSON"):
        leakcheck.check(clean_pdf, b"{not json", find, LITERALS)


def test_it_keeps_the_excerpt_out_of_the_repr() -> None:
    hit = Hit("PDF page 1", "name", "Memet Tursun")
    assert "Memet" not in repr(hit)
    assert "PDF page 1" in repr(hit)


def test_it_finds_a_name_broken_over_two_lines() -> None:
    text = "x" * 5 + " word" * 14 + " Memet Tursun was taken."
    doc = document(Section("Account", text))
    data = render.pdf(doc)
    assert "Memet\nTursun" in leakcheck_page_text(data)
    hits = check(data, doc)
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF page 1", "name"),
        ("JSON sections[0].text", "name"),
    }


def test_it_finds_white_text(clean_pdf: bytes) -> None:
    content = b"q BT 1 1 1 rg /Fhidden 12 Tf 100 400 Td (case notes) Tj ET Q\n"
    hits = check(edited(clean_pdf, hidden_text(content)))
    assert [(h.where, h.kind) for h in hits] == [("PDF page 1", "text in white or transparent")]


def incremental(data: bytes, objects: dict[int, bytes], info: int | None = None) -> bytes:
    """The PDF with an update appended the way editors save: new objects, a new xref
    section and a trailer that points back to the previous one."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.objgen[0]
        info = pdf.docinfo.objgen[0] if info is None else info
    previous = int(data.rsplit(b"startxref", 1)[1].split()[0])
    size = max(objects) + 1
    out = bytearray(data)
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n"
    for number, offset in sorted(offsets.items()):
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    trailer = b"/Size %d /Root %d 0 R /Info %d 0 R /Prev %d" % (size, root, info, previous)
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def test_it_reports_an_incremental_update_and_what_it_added(clean_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(clean_pdf)) as pdf:
        free = len(pdf.objects) + 10
        old_info = pdf.docinfo.objgen[0]
    data = incremental(clean_pdf, {free: b"<< /Title (Memet Tursun) >>"}, info=free)
    hits = check(data)
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF file", "earlier revision kept"),
        ("PDF metadata /Title", "name"),
        (f"PDF object {old_info}", "unused object"),  # the title it replaced
    }


def test_it_reports_an_object_nothing_refers_to(clean_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(clean_pdf)) as pdf:
        free = len(pdf.objects) + 10
    data = incremental(clean_pdf, {free: b"(Memet Tursun)"})
    hits = check(data)
    assert {(h.where, h.kind) for h in hits} == {
        ("PDF file", "earlier revision kept"),
        (f"PDF object {free}", "unused object"),
    }


def test_it_reports_an_image(clean_pdf: bytes) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        image = pikepdf.Stream(pdf, b"\x00" * 4)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 2, 2, 8
        image.ColorSpace = pikepdf.Name.DeviceGray
        page = pdf.pages[0]
        page.Resources[pikepdf.Name.XObject] = pikepdf.Dictionary(Im0=image)
        page.contents_add(pikepdf.Stream(pdf, b"q 20 0 0 20 10 10 cm /Im0 Do Q"), prepend=False)

    assert [(h.where, h.kind) for h in check(edited(clean_pdf, plant))] == [("PDF page 1", "image")]


def test_it_reports_encryption(clean_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(clean_pdf)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=""))
    hits = {(h.where, h.kind) for h in check(out.getvalue())}
    # AES-256 also declares an extension in the catalogue, itself reported.
    assert hits == {("PDF file", "encrypted"), ("PDF catalogue /Extensions", "catalogue entry")}


def test_it_refuses_a_pdf_that_needs_a_password(clean_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(clean_pdf)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="user"))
    with pytest.raises(LeakCheckError, match="PDF"):
        check(out.getvalue())
