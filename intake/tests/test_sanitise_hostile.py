"""The cleaner against the hostile corpus (hostile_files.py): nothing planted survives, the
evidence does, and what the cleaner cannot clean it refuses."""

import io
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from intake import sanitise as module
from intake.sanitise import SanitiseError, sanitise
from intake.tests import hostile_files as corpus


def refusal(data: bytes) -> str:
    with pytest.raises(SanitiseError) as caught:
        sanitise(data)
    return caught.value.reason


@pytest.mark.parametrize("name", list(corpus.CORPUS))
def test_it_leaves_nothing_planted_in_the_corpus(name):
    original = corpus.CORPUS[name]()
    assert len(corpus.leaks(original)) >= 3  # the file really carries what must go
    _, clean = sanitise(original)
    assert corpus.leaks(clean) == []


def test_it_removes_gps_and_exif_from_a_photo():
    original = corpus.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    _, clean = sanitise(original)
    image = Image.open(io.BytesIO(clean))
    assert not image.getexif() and "comment" not in image.info


@pytest.mark.parametrize("make", [corpus.pdf_hostile, corpus.pdf_with_author])
def test_it_rebuilds_a_pdf_from_pictures_of_its_pages_alone(make):
    _, clean = sanitise(make())
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert set(pdf.trailer.keys()) <= {"/Root", "/Size", "/ID"}  # no /Info
        assert set(pdf.Root.keys()) == {"/Type", "/Pages"}  # no actions, forms, XMP, names
        for page in pdf.pages:
            assert set(page.obj.keys()) == {
                "/Type",
                "/MediaBox",
                "/Resources",
                "/Contents",
                "/Parent",
            }
            assert list(page.Resources.keys()) == ["/XObject"]  # no fonts: only pixels
        # Every object in the file, direct or indirect, walked: only the allowed keys.
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert set(obj.keys()) <= module_pdf_keys()


def module_pdf_keys():
    from intake.cleaning.pdf import ALLOWED_KEYS

    return ALLOWED_KEYS


def test_it_keeps_what_the_pdf_page_showed():
    _, clean = sanitise(corpus.pdf_hostile())
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        page = pdf.pages[0]
        assert [float(v) for v in page.MediaBox] == [0, 0, 612, 792]
        raw = page.Resources.XObject.Im0.read_raw_bytes()
    picture = Image.open(io.BytesIO(raw)).convert("L")
    width, height = picture.size
    # The visible line was drawn near the top left: dark pixels there, white elsewhere.
    top = picture.crop((int(width * 0.1), int(height * 0.08), int(width * 0.6), int(height * 0.13)))
    top_darkest = top.getextrema()[0]
    below_darkest = picture.crop((0, int(height * 0.5), width, int(height * 0.6))).getextrema()[0]
    # One band ("L"), so each extreme is a number, not a per-band pair.
    assert isinstance(top_darkest, int | float) and isinstance(below_darkest, int | float)
    assert top_darkest < 80
    assert below_darkest > 200


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    ("make", "kind", "body", "kept"),
    [
        (
            corpus.docx_hostile,
            "docx",
            "word/document.xml",
            [corpus.VISIBLE, "Inserted and accepted.", "Link text stays.", "Commented."],
        ),
        (corpus.xlsx_hostile, "xlsx", "xl/worksheets/sheet1.xml", ["Last seen 2017"]),
        (
            corpus.odt_hostile,
            "odt",
            "content.xml",
            [corpus.VISIBLE, "Link text stays.", "A comment on the evidence."],
        ),
    ],
)
def test_it_keeps_the_text_of_office_files_and_only_known_parts(make, kind, body, kept):
    found, clean = sanitise(make())
    assert found == kind
    cleaned = parts(clean)
    for text in kept:
        assert text.encode() in cleaned[body]
    from intake.cleaning.office import PARTS

    allowed = re.compile("|".join(PARTS[kind]))
    assert all(allowed.fullmatch(name) for name in cleaned)
    for name, part in cleaned.items():
        if name.endswith((".xml", ".rels")):
            assert b'author="HOSTILE' not in part and b'w:date="' not in part, name


def test_it_names_only_the_parts_that_stayed():
    cleaned = parts(sanitise(corpus.docx_hostile())[1])
    for target in (b"people.xml", b"commentsExtended", b"custom.xml", b"embeddings"):
        assert target not in cleaned["[Content_Types].xml"]
        assert target not in cleaned["word/_rels/document.xml.rels"]
    assert b"TargetMode" not in cleaned["word/_rels/document.xml.rels"]  # no link out
    assert b"OLEObject" not in cleaned["word/document.xml"]


def test_it_accepts_tracked_changes_so_deleted_text_is_gone():
    cleaned = parts(sanitise(corpus.docx_hostile())[1])
    assert b"<w:ins " not in cleaned["word/document.xml"]
    assert b"delText" not in cleaned["word/document.xml"]


def rebuild(make, replace: dict[str, bytes]) -> bytes:
    original = parts(make())
    original.update(replace)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in original.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "document",
    [
        b"<w:document><unclosed>",  # not XML
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"&b;</w:document>",  # entities: office XML never has a DTD
        b'<document xmlns="urn:example:other"/>',  # not Word's namespace: nothing would stay
    ],
)
def test_it_refuses_a_document_whose_required_part_cannot_be_cleaned(document):
    assert (
        refusal(rebuild(corpus.docx_hostile, {"word/document.xml": document})) == module.UNREADABLE
    )


def test_it_refuses_an_office_file_without_its_main_part():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(corpus.odt_hostile())) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name != "content.xml":
                dst.writestr(name, src.read(name))
    assert refusal(out.getvalue()) == module.UNREADABLE


def test_it_drops_macros_and_declares_the_document_plain():
    macro_type = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    original = parts(corpus.docx_hostile())
    types = original["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        macro_type,
    )
    data = rebuild(
        corpus.docx_hostile,
        {"[Content_Types].xml": types, "word/vbaProject.bin": b"HOSTILE-MACRO Sub AutoOpen()"},
    )
    cleaned = parts(sanitise(data)[1])
    assert "word/vbaProject.bin" not in cleaned
    assert macro_type not in cleaned["[Content_Types].xml"]
    assert corpus.leaks(sanitise(data)[1]) == []


def test_it_drops_field_codes_split_across_runs_and_keeps_their_results():
    document = parts(sanitise(corpus.docx_split_fields())[1])["word/document.xml"]
    for trace in (b"instrText", b"fldChar", b"fldSimple", b"instr=", b"PICT", b"UTO", b"ORT"):
        assert trace not in document, trace
    assert b"Shown." in document and b"Simple result." in document
    assert corpus.VISIBLE.encode() in document


def test_it_removes_vml_and_drawing_pictures_fetched_from_elsewhere():
    cleaned = parts(sanitise(corpus.docx_vml_links())[1])
    document = cleaned["word/document.xml"]
    assert b"hostile.example" not in document and b"HOSTILE" not in document
    assert b" src=" not in document and b"o:href" not in document
    assert b"<v:imagedata" in document  # the shape stays, without its link out
    assert b"r:link" not in document and b"rIdRemote" not in cleaned["word/_rels/document.xml.rels"]


def test_it_drops_excel_formulas_and_recalculation_but_keeps_cached_values():
    cleaned = parts(sanitise(corpus.xlsx_formulas())[1])
    sheet, workbook = cleaned["xl/worksheets/sheet1.xml"], cleaned["xl/workbook.xml"]
    assert b"<f>" not in sheet and b"<f " not in sheet and b"formula" not in sheet
    assert b"Cached value" in sheet and b"Last seen 2017" in sheet
    assert b"fullCalcOnLoad" not in workbook and b"definedName" not in workbook
    assert not any(name.startswith(("xl/connections", "xl/externalLinks")) for name in cleaned)


def test_it_drops_inline_data_objects_dde_macros_and_sender_fields_from_odt():
    content = parts(sanitise(corpus.odt_inline())[1])["content.xml"]
    for trace in (
        b"binary-data",
        b"object-ole",
        b"draw:plugin",
        b"dde-connection",
        b"execute-macro",
        b"text:script",
        b"sender-",
    ):
        assert trace not in content, trace
    assert corpus.VISIBLE.encode() in content


def test_it_refuses_a_small_pdf_that_would_grow_hundreds_of_times_once_cleaned():
    original = corpus.pdf_noise()
    assert len(original) < 64 * 1024  # 100 pages of noise, each over 150 KB once rendered
    assert refusal(original) == module.CLEANED_TOO_LARGE


def test_it_never_returns_more_than_ten_megabytes_for_a_small_file():
    assert module.output_cap(26_000) == 10 * 1024 * 1024
    assert module.output_cap(9 * 1024 * 1024) == 18 * 1024 * 1024  # a photo re-encoded


def test_it_keeps_a_long_text_pdf_at_a_lower_resolution_within_the_cap():
    original = corpus.pdf_text(pages=28)  # ~450 KB a page at 150 dpi: 12.5 MB in all
    _, clean = sanitise(original)
    assert len(clean) <= module.MAX_CLEAN_BYTES
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert len(pdf.pages) == 28
        assert int(pdf.pages[-1].Resources.XObject.Im0.Width) >= 612  # 72 dpi at least


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def test_it_kills_the_cleaner_child_when_its_web_worker_is_killed():
    script = (
        "from intake.sanitise import sanitise\n"
        "from intake.tests.hostile_files import pdf_slow\n"
        "sanitise(pdf_slow())\n"
    )
    root = Path(module.__file__).resolve().parent.parent
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=root)
    try:
        deadline = time.monotonic() + 20
        while not _children(worker.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        (child,) = _children(worker.pid)
        time.sleep(0.5)  # the child is cleaning (it takes many seconds)
        assert _running(child)
        worker.kill()  # SIGKILL, as a timeout or the OOM killer does it
        worker.wait()
        deadline = time.monotonic() + 3
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child)
    finally:
        worker.kill()
        worker.wait()


def test_it_keeps_a_text_box_and_what_follows_when_a_field_is_inside_the_box():
    from intake.cleaning import xml

    field = "".join(
        f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>{between}'
        for kind, between in (
            ("begin", "<w:r><w:instrText>PAGE</w:instrText></w:r>"),
            ("separate", "<w:r><w:t>In the box.</w:t></w:r>"),
            ("end", ""),
        )
    )
    document = (
        f'<w:document xmlns:w="{xml.W}"><w:body><w:p><w:r><w:drawing><w:txbxContent><w:p>'
        f"{field}</w:p></w:txbxContent></w:drawing></w:r></w:p>"
        "<w:p><w:r><w:t>After the box.</w:t></w:r></w:p></w:body></w:document>"
    )
    cleaned = xml.clean_part("docx", document.encode())
    assert cleaned is not None
    assert b"In the box." in cleaned and b"After the box." in cleaned
    assert b"PAGE" not in cleaned and b"fldChar" not in cleaned
