"""Uploads lose their metadata, and hostile files are refused without harming the web process.

The fixtures are real files carrying what phones and office programs write: GPS EXIF, PNG text,
PDF document info and XMP, OOXML and ODF properties, all naming AUTHOR.
"""

import io
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from intake import sanitise as module
from intake.sanitise import KINDS, SanitiseError, detect, sanitise

FIXTURES = Path(__file__).parent / "fixtures"
AUTHOR = b"Mehrigul Testauthor"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def refusal(data: bytes) -> str:
    with pytest.raises(SanitiseError) as caught:
        sanitise(data)
    assert caught.value.message == module.MESSAGES[caught.value.reason]
    return caught.value.reason


def test_it_removes_exif_gps_xmp_icc_and_comments_from_a_jpeg():
    original = fixture("photo_gps.jpg")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there to remove
    kind, clean = sanitise(original)
    assert kind == "jpeg"
    image = Image.open(io.BytesIO(clean))
    image.load()
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    for marker in (b"Exif\x00\x00", b"TestPhone", b"TP-7", b"http://ns.adobe.com", b"acsp", AUTHOR):
        assert marker in original
        assert marker not in clean
    assert image.size == (48, 64)  # stored 64x48 with "rotate 90": the same photo, upright


def test_it_applies_the_exif_orientation_before_dropping_it():
    image = Image.open(io.BytesIO(sanitise(fixture("photo_gps.jpg"))[1])).convert("RGB")
    top, bottom = image.getpixel((24, 8)), image.getpixel((24, 56))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    red, _, blue = top  # the left (red) half is now on top
    assert red > 150 and blue < 100
    red, _, blue = bottom
    assert red < 100 and blue > 150


def test_it_removes_text_chunks_from_a_png_and_keeps_its_alpha():
    original = fixture("author.png")
    assert AUTHOR in original
    kind, clean = sanitise(original)
    assert kind == "png"
    for chunk in (AUTHOR, b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in clean
    image = Image.open(io.BytesIO(clean))
    assert (image.mode, image.size) == ("RGBA", (40, 30))
    assert image.getpixel((5, 5)) == (10, 200, 10, 128)
    assert not image.info


def test_it_removes_the_pdf_authors_xmp_attachments_and_javascript():
    original = fixture("author.pdf")
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == AUTHOR.decode() and "/Metadata" in pdf.Root
    kind, clean = sanitise(original)
    assert kind == "pdf"
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert "/Info" not in pdf.trailer  # before .docinfo, which makes an empty one
        assert len(pdf.docinfo) == 0
        assert "/Metadata" not in pdf.Root and "/OpenAction" not in pdf.Root
        assert not pdf.attachments
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        # The page is now one picture of itself: the text is there as pixels, nothing else.
        assert list(page.Resources.XObject.keys()) == ["/Im0"]
        assert "/Annots" not in page and "/Font" not in page.Resources
        picture = Image.open(io.BytesIO(page.Resources.XObject.Im0.read_raw_bytes()))
        darkest = picture.convert("L").getextrema()[0]
        assert isinstance(darkest, int | float)  # one band ("L"): a number, not a pair
        assert darkest < 100  # something dark was drawn
    markers = (AUTHOR, b"TestOffice", b"Exif\x00\x00", b"TestPhone", b"notes.txt", b"app.alert")
    for marker in markers:
        assert marker in original
        assert marker not in clean


@pytest.mark.parametrize(
    ("name", "kind", "body", "text"),
    [
        ("author.docx", "docx", "word/document.xml", b"The body of the letter."),
        ("author.xlsx", "xlsx", "xl/worksheets/sheet1.xml", b"Last seen 2017"),
        ("author.odt", "odt", "content.xml", b"The body of the letter."),
    ],
)
def test_it_removes_the_author_from_office_documents(name, kind, body, text):
    original = fixture(name)
    assert any(AUTHOR in part for part in members(original).values())
    assert detect(original) == kind
    found, clean = sanitise(original)
    assert found == kind
    parts = members(clean)
    assert parts.keys() == members(original).keys()  # nothing the package names goes missing
    for part_name, part in parts.items():
        assert b"Mehrigul" not in part, part_name  # nor in the template path C:\Users\Mehrigul
        assert b"Exif\x00\x00" not in part, part_name  # a pasted photo's GPS
    assert text in parts[body]
    if kind == "odt":
        first = zipfile.ZipFile(io.BytesIO(clean)).infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100),  # Windows EXE
        b"\x7fELF\x02\x01\x01" + bytes(100),
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"PK\x03\x04 not really a zip",
    ],
)
def test_it_refuses_files_of_other_kinds(data):
    assert detect(data) is None
    assert refusal(data) == module.NOT_ACCEPTED


def test_it_refuses_a_zip_that_is_not_an_office_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
        archive.writestr("mimetype", "application/epub+zip")
    assert detect(out.getvalue()) is None
    assert refusal(out.getvalue()) == module.NOT_ACCEPTED


def test_it_detects_photos_and_pdfs_by_their_content():
    assert detect(fixture("photo_gps.jpg")) == "jpeg"
    assert detect(fixture("author.png")) == "png"
    assert detect(fixture("author.pdf")) == "pdf"


def bomb_png(side: int) -> bytes:
    """A real side x side black PNG, under 1 MB, made without holding its pixels in memory."""
    rows = bytes(side + 1) * 100  # 100 rows: filter byte 0, then black pixels
    deflate = zlib.compressobj(9)
    first = deflate.compress(rows) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(rows) + deflate.flush(zlib.Z_FULL_FLUSH)  # independent of `first`
    adler = (side * (side + 1) % 65521) << 16 | 1  # Adler-32 of that many zero bytes
    idat = first + again * (side // 100 - 1) + deflate.flush()[:-4] + struct.pack(">I", adler)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def test_the_bomb_png_is_a_real_png():
    assert Image.open(io.BytesIO(bomb_png(300))).getextrema() == (0, 0)


@pytest.mark.parametrize("side", [30_000, 7_000])  # 900 and 49 megapixels
def test_it_refuses_a_decompression_bomb_png_quickly(side):
    data = bomb_png(side)
    assert len(data) < 1_000_000
    started = time.monotonic()
    assert refusal(data) == module.TOO_LARGE_OPENED
    assert time.monotonic() - started < 5


def office_zip(extra: dict[str, bytes], size: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(size // 2**20):
                member.write(b" " * 2**20)
        for name, body in extra.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_it_refuses_zip_bombs():
    assert detect(office_zip({})) == "docx"
    huge = office_zip({}, size=110 * 2**20)  # 110 MiB of spaces in about 110 KB
    assert len(huge) < 200_000
    assert refusal(huge) == module.TOO_LARGE_OPENED
    crowded = office_zip({f"word/media/{n}.xml": b"" for n in range(2_500)})
    assert detect(crowded) is None  # refused before zipfile lists 2,500 members
    assert refusal(crowded) == module.NOT_ACCEPTED


@pytest.mark.parametrize("name", ["../../etc/cron.d/x", "/etc/passwd", "C:/x.xml"])
def test_it_refuses_zip_members_that_point_outside(name):
    assert refusal(office_zip({name: b"x"})) == module.UNREADABLE


def test_it_refuses_broken_jpegs():
    original = fixture("photo_gps.jpg")
    assert refusal(original[: len(original) // 2]) == module.UNREADABLE
    assert refusal(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8) == module.UNREADABLE


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_it_refuses_an_encrypted_pdf(user_password):
    out = io.BytesIO()
    with pikepdf.open(FIXTURES / "author.pdf") as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password))
    assert refusal(out.getvalue()) == module.ENCRYPTED


def test_it_refuses_a_file_when_the_worker_runs_out_of_time(monkeypatch):
    monkeypatch.setattr(module, "WALL_SECONDS", 0.001)
    assert refusal(fixture("author.pdf")) == module.TOO_LARGE_OPENED


def test_it_runs_the_worker_without_the_right_to_write_files(tmp_path):
    target = tmp_path / "leak"
    code = (
        "from intake.sanitise_worker import limit_resources; limit_resources(); "
        f"import os; os.write(os.open({str(target)!r}, os.O_WRONLY | os.O_CREAT), b'plaintext')"
    )
    root = Path(module.__file__).parent.parent
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True)
    assert done.returncode != 0
    assert not target.exists() or target.stat().st_size == 0


PREFIXES = [b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04"]


@given(st.sampled_from(PREFIXES), st.binary(max_size=3_000))
@settings(max_examples=500, deadline=None)
def test_it_detects_random_bytes_without_raising(prefix, payload):
    assert detect(prefix + payload) in (None, *KINDS)


@given(st.sampled_from(PREFIXES), st.binary(max_size=3_000))
@settings(max_examples=40, deadline=None)
def test_it_raises_only_sanitise_error_on_random_bytes(prefix, payload):
    try:
        kind, clean = sanitise(prefix + payload)
    except SanitiseError as error:
        assert error.message == module.MESSAGES[error.reason]
    else:
        assert kind in KINDS and clean
