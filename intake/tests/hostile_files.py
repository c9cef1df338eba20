"""A corpus of hostile uploads, made here from nothing (pikepdf, zipfile, Pillow).

Each maker returns the file's bytes; MARKERS names what must not survive cleaning: every
marker is a string planted in a place a reviewer found leaking (an author's name, a date, a
script, a web address that would reveal a caseworker's address, a Windows account name...).
VISIBLE is text that must survive: the evidence itself.

Run as a script to write the corpus to a folder: python -m intake.tests.hostile_files DIR
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .hostile_common import AUTHOR, MARKERS, URL, VISIBLE, jpeg_with_gps
from .hostile_office import (
    docx_hostile,
    docx_split_fields,
    docx_vml_links,
    odt_hostile,
    odt_inline,
    xlsx_formulas,
    xlsx_hostile,
)

__all__ = [
    "AUTHOR",
    "CORPUS",
    "MARKERS",
    "URL",
    "VISIBLE",
    "docx_hostile",
    "docx_split_fields",
    "docx_vml_links",
    "jpeg_with_gps",
    "leaks",
    "odt_hostile",
    "odt_inline",
    "pdf_hostile",
    "pdf_noise",
    "pdf_slow",
    "pdf_text",
    "pdf_with_author",
    "plain_bytes",
    "xlsx_formulas",
    "xlsx_hostile",
]


# --- PDF --------------------------------------------------------------------------------


def _js(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def pdf_hostile() -> bytes:
    """Everything the old cleaner let through, direct (not indirect) wherever a PDF allows."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0]
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(f"BT /F1 24 Tf 72 700 Td ({VISIBLE}) Tj ET".encode())
    secret = pdf.make_stream(b"HOSTILE-EMBEDDED-FILE contents")
    secret.Type = Name.EmbeddedFile
    annotations = [
        # a comment with its author and date, direct in the page's /Annots
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Text,
            Rect=[100, 100, 120, 120],
            T=String(AUTHOR),
            M=String("D:20240305101500Z"),
            Contents=String("HOSTILE-COMMENT text"),
            CreationDate=String("D:20240305101500Z"),
        ),
        # a direct annotation whose page-open action is JavaScript
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Screen,
            Rect=[0, 0, 10, 10],
            AA=Dictionary(PO=_js("app.alert('HOSTILE-PAGE-OPEN')")),
        ),
        # a link: GoTo, then JavaScript chained through /Next
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[200, 200, 300, 220],
            A=Dictionary(
                S=Name.GoTo,
                D=Array([page.obj, Name.Fit]),
                Next=Array([_js("app.alert('HOSTILE-NEXT')")]),
            ),
        ),
        # a link that calls out to a web address
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[300, 300, 400, 320],
            A=Dictionary(S=Name.URI, URI=String(URL)),
        ),
        # a link that launches a program
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[400, 400, 500, 420],
            A=Dictionary(S=Name.Launch, F=String("HOSTILE-LAUNCH.exe")),
        ),
        # a direct file specification holding an embedded file
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.FileAttachment,
            Rect=[50, 50, 70, 70],
            FS=Dictionary(
                Type=Name.Filespec, F=String("HOSTILE-notes.txt"), EF=Dictionary(F=secret)
            ),
        ),
    ]
    page.Annots = Array(annotations)
    page.AA = Dictionary(O=_js("app.alert('HOSTILE-PAGE-AA')"))
    xfa = pdf.make_stream(
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform>'
        b'<event activity="initialize"><script contentType="application/x-javascript">'
        b"app.alert('HOSTILE-XFA')</script></event></subform></template></xdp:xdp>"
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=Array([String("template"), xfa]))
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoTo, D=Array([page.obj, Name.Fit]), Next=_js("app.alert('HOSTILE-OPEN')")
    )
    xmp = pdf.make_stream(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:creator>HOSTILE-XMP-AUTHOR</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    xmp.Type, xmp.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = xmp
    pdf.docinfo["/Author"] = String(AUTHOR)
    pdf.docinfo["/Producer"] = String("HOSTILE-PRODUCER")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_author() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"0 0 1 rg 100 100 200 200 re f")
    pdf.docinfo["/Author"] = String(AUTHOR)
    pdf.docinfo["/CreationDate"] = String("D:20240305101500Z")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_noise(pages: int = 100) -> bytes:
    """A small file that renders to a huge one: every page shows the same picture of noise,
    stored once. Cleaned page by page it would grow hundreds of times (storage amplification)."""
    import random

    pdf = pikepdf.new()
    noise = random.Random(8).randbytes(96 * 96)
    picture = pdf.make_stream(noise)
    picture.Type, picture.Subtype = Name.XObject, Name.Image
    picture.Width, picture.Height, picture.BitsPerComponent = 96, 96, 8
    picture.ColorSpace = Name.DeviceGray
    picture.Interpolate = True  # smooth, so every rendered pixel differs: JPEG cannot shrink it
    draw = pdf.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
        page = pdf.pages[-1]
        page.Resources = Dictionary(XObject=Dictionary(Im0=picture))
        page.Contents = draw
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_text(pages: int = 20) -> bytes:
    """A genuine letter: pages of dense text, a few KB in all, ~450 KB a page once rendered."""
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    line = b"The court decided on the matter of the family; the letter says so in these words."
    draw = pdf.make_stream(
        b"".join(b"BT /F1 11 Tf 60 %d Td (%s) Tj ET\n" % (y, line) for y in range(740, 60, -14))
    )
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
        pdf.pages[-1].Resources = Dictionary(Font=Dictionary(F1=font))
        pdf.pages[-1].Contents = draw
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_slow(pages: int = 200) -> bytes:
    """Pages that are slow to draw (60,000 small squares each) but small once drawn: the
    cleaner works on it for many seconds without reaching any size limit."""
    import random

    pdf = pikepdf.new()
    rng = random.Random(1)
    squares = b" ".join(
        b"%d %d 3 3 re f" % (rng.randrange(612), rng.randrange(792)) for _ in range(60_000)
    )
    draw = pdf.make_stream(b"0.97 g " + squares)
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
        pdf.pages[-1].Contents = draw
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


CORPUS = {
    "gps.jpg": jpeg_with_gps,
    "hostile.pdf": pdf_hostile,
    "author.pdf": pdf_with_author,
    "hostile.docx": docx_hostile,
    "hostile.xlsx": xlsx_hostile,
    "hostile.odt": odt_hostile,
    "fields.docx": docx_split_fields,
    "vml.docx": docx_vml_links,
    "formulas.xlsx": xlsx_formulas,
    "inline.odt": odt_inline,
}


# --- what a test looks at ---------------------------------------------------------------


def plain_bytes(data: bytes) -> bytes:
    """Everything a file holds, uncompressed: every ZIP member, or every PDF object and
    stream decoded, or the file itself; so a marker cannot hide behind compression."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"\n".join(
                name.encode() + b"\n" + archive.read(name) for name in archive.namelist()
            )
    if data.startswith(b"%PDF"):
        out = io.BytesIO()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.save(
                out,
                qdf=True,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            )
        return out.getvalue()
    return data


def leaks(data: bytes) -> list[bytes]:
    """The markers (and traces of the leaking parts) still in a file."""
    plain = plain_bytes(data)
    found = [marker for marker in MARKERS if marker.lower() in plain.lower()]
    # Case as written, and at least four bytes: a picture's data must not match by chance.
    traces = [
        b"rsid",
        b"absPath",
        b"docVar",
        b"customXml",
        b"printerSettings",
        b"oleObject",
        b"persons/",
        b"threadedComment",
        b"/JavaScript",
        b"/URI",
        b"/Launch",
        b"/EmbeddedFile",
        b"/XFA",
        b"/Metadata",
        b"/Annots",
        b"Exif\x00\x00",
        b"instrText",
        b"binary-data",
        b"WEBSERVICE",
        b"fullCalcOnLoad",
    ]
    return found + [marker for marker in traces if marker in plain]


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, make in CORPUS.items():
        (folder / file_name).write_bytes(make())
