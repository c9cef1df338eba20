"""The PDF and JSON of an export, from text that is already redacted.

Pure: no Django, no database. The PDF is drawn by WeasyPrint with the fonts shipped in
disclosure/fonts/ only (no request leaves the process) and is then stripped with pikepdf of
everything but its pages: no producer, no dates, no XMP, no outline, no links.
"""

import datetime
import functools
import html
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

FONTS = Path(__file__).resolve().parent / "fonts"
# The short public id is the only id a package carries (it goes into CSS, so it is
# checked against this shape before use).
EXPORT_ID = re.compile(r"[A-Z0-9]{2,8}(?:-[A-Z0-9]{2,8}){1,4}\Z")


@dataclass(frozen=True)
class Section:
    """One part of the export; `text` is already redacted. Paragraphs are split by lines."""

    heading: str = field(repr=False)
    text: str = field(repr=False)


@dataclass(frozen=True)
class Document:
    export_id: str
    title: str
    day: datetime.date
    recipient: str
    sections: tuple[Section, ...] = field(repr=False)

    def __post_init__(self) -> None:
        if not all(isinstance(x, str) for x in (self.export_id, self.title, self.recipient)):
            raise ValueError("the export id, title and recipient must be text")
        if not all(
            isinstance(s, Section) and isinstance(s.heading, str) and isinstance(s.text, str)
            for s in self.sections
        ):
            raise ValueError("the sections must be Sections of text")
        try:
            for text in (self.title, self.recipient, *(s.heading + s.text for s in self.sections)):
                text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("the text holds a broken character (a lone surrogate)") from None
        if not EXPORT_ID.match(self.export_id):
            raise ValueError("the export id must look like EXP-7K3Q-9M2D")
        if isinstance(self.day, datetime.datetime) or not isinstance(self.day, datetime.date):
            raise ValueError("the export day must be a date without a time")


class FontsOnly(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, limited to the shipped font files: anything else stops the
    rendering, so that no export can make the server reach the network or the disk."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or parts.netloc or path.parent != FONTS:
            raise FatalURLFetchingError("an export may load only its own fonts")
        if path.suffix not in (".ttf", ".otf"):
            raise FatalURLFetchingError("an export may load only its own fonts")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/sfnt"})


def _font_face(family: str, file: str, weight: str) -> str:
    url = (FONTS / file).as_uri()
    return f'@font-face {{ font-family: "{family}"; src: url("{url}"); font-weight: {weight}; }}'


# Own family names, so that the machine's fonts of the same name never stand in.
FONT_FILES = (
    ("Amanat Sans", "NotoSans-Regular.ttf", "normal"),
    ("Amanat Sans", "NotoSans-Bold.ttf", "bold"),
    ("Amanat Naskh", "NotoNaskhArabic-Regular.ttf", "normal"),
    ("Amanat Naskh", "NotoNaskhArabic-Bold.ttf", "bold"),
    ("Amanat CJK", "NotoSansSC-Regular-subset.otf", "normal"),
)
FONT_FACES = "\n".join(_font_face(*face) for face in FONT_FILES)

STYLE = """
body { font-family: "Amanat Sans", "Amanat Naskh", "Amanat CJK"; font-size: 10.5pt;
       line-height: 1.5; color: #000; }
h1 { font-size: 15pt; margin: 0 0 4pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; }
h1, h2 { bookmark-level: none; }
/* No hyphen ever splits a word (a name cut in two would escape the leak check's finder);
   only a token longer than a line breaks, rather than running off the page. */
p, h1, h2 { hyphens: none; overflow-wrap: break-word; }
p { margin: 0 0 6pt; }
[dir="rtl"] { direction: rtl; text-align: right; }
.about { color: #333; margin-bottom: 12pt; }
"""


def _page_style(export_id: str) -> str:
    # EXPORT_ID allows only A-Z, 0-9 and "-": safe inside a CSS string.
    return f"""
@page {{ size: A4; margin: 18mm 18mm 20mm;
  @bottom-center {{ content: "{export_id} \\2014  page " counter(page) " of " counter(pages);
                    font-family: "Amanat Sans"; font-size: 8pt; color: #333; }} }}
"""


@functools.cache
def _covered() -> frozenset[int]:
    chars: set[int] = set()
    for _, file, _ in FONT_FILES:
        chars.update(TTFont(FONTS / file, lazy=True).getBestCmap())
    return frozenset(chars)


def missing_glyphs(doc: Document) -> list[str]:
    """The characters of the document that no shipped font draws (an emoji, a rare
    character outside the CJK subset): the PDF shows them in whatever font the server has,
    or as an empty box. For the reviewer's screen, before the export is made."""
    texts = [doc.title, doc.recipient, *(s.heading + s.text for s in doc.sections)]
    covered = _covered()
    return sorted(
        {
            char
            for text in texts
            for char in text
            if ord(char) not in covered
            and not char.isspace()
            and not unicodedata.category(char).startswith("C")
        }
    )


def direction(paragraph: str) -> str:
    """The paragraph's base direction by the Unicode rule: "rtl" when its first strong
    character is right to left (Uyghur in Arabic script), else "ltr"."""
    for char in paragraph:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _paragraphs(text: str) -> str:
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(
        f'<p dir="{direction(line)}">{html.escape(line)}</p>' for line in lines if line
    )


def html_text(doc: Document) -> str:
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>',
        f'<h1 dir="{direction(doc.title)}">{html.escape(doc.title)}</h1>',
        f'<p class="about">{html.escape(doc.export_id)} \u2014 '
        f"{html.escape(doc.day.isoformat())} \u2014 to {html.escape(doc.recipient)}</p>",
    ]
    for section in doc.sections:
        parts.append(f'<h2 dir="{direction(section.heading)}">{html.escape(section.heading)}</h2>')
        parts.append(_paragraphs(section.text))
    parts.append("</body></html>")
    return "\n".join(parts)


def _strip(raw: bytes, export_id: str) -> bytes:
    """Keep the pages and nothing else that could carry a name, a time or a tool."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        for key in list(pdf.Root.keys()):
            if key not in ("/Type", "/Pages"):
                del pdf.Root[key]
        pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(export_id)))
        for page in pdf.pages:
            for key in ("/Annots", "/AA", "/Metadata", "/PieceInfo"):
                if key in page.obj:
                    del page.obj[key]
        out = io.BytesIO()
        # The file id is a hash of the content, not of the time of writing.
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


def pdf(doc: Document) -> bytes:
    """The export as PDF: the redacted text, the shipped fonts, the export id and the page
    number in each page's footer, and no metadata but the export id as title."""
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=FONT_FACES + STYLE + _page_style(doc.export_id),
        url_fetcher=FontsOnly(),
        font_config=fonts,
    )
    rendered = HTML(string=html_text(doc), url_fetcher=FontsOnly(), base_url=FONTS.as_uri())
    raw = rendered.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    return _strip(raw, doc.export_id)


def content(doc: Document) -> dict[str, object]:
    """The export's content as plain data, in the order of the PDF."""
    return {
        "export_id": doc.export_id,
        "title": doc.title,
        "day": doc.day.isoformat(),
        "recipient": doc.recipient,
        "sections": [{"heading": s.heading, "text": s.text} for s in doc.sections],
    }


def json_bytes(doc: Document) -> bytes:
    """The same content as the PDF, same order, UTF-8 (scripts kept as they are)."""
    return json.dumps(content(doc), ensure_ascii=False, indent=2).encode("utf-8")
