"""The last look at an export before it leaves: does its PDF or JSON carry anything the
redacted text should not, or anything that is not plain page text?

Pure: no Django. `check` reads the PDF's text layer page by page (in logical order), every
metadata value and every string of the JSON, runs the case's finder and the list of
internal literals (ids, staff names) over them, and also reports, whatever the finder says,
every structure an export must not have: metadata other than the title, XMP, annotations,
forms, layers, embedded files, JavaScript, invisible text and text drawn under a shape.

A Hit says where and what; its excerpt is for the reviewer's screen only (never logged,
not in its repr).
"""

import ctypes
import io
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from disclosure import pdf_text

Finder = Callable[[str], Iterable[tuple[int, int, str]]]

WINDOW = 24  # characters of context either side of a hit in its excerpt
# What redaction leaves in place of a name: "[relative's name]", "[phone number 2]". Used
# when the caller gives no list of its labels; see `check`.
LABEL_SHAPE = re.compile(r"[a-z][a-z' \u2019\-]{0,40}(?: \d{1,3})?")
# Either bracket at either end: the PDF viewer's reading of a line that holds right-to-left
# script may give a bracket as its mirror image ("[relative's name[").
BRACKETED = re.compile(r"[\[\]]([^\[\]]{1,60})[\[\]]")
DASHES_AND_SPACES = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")
# The PDF keys an export is allowed to have: the catalogue holds only its pages, the
# document information only the export id as title.
CATALOGUE_KEYS = frozenset({"/Type", "/Pages"})
INFO_KEYS = frozenset({"/Title"})
PAGE_KEYS = frozenset(
    {
        "/Type",
        "/Parent",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Resources",
        "/Contents",
        "/Rotate",
        "/Group",
    }
)
CATALOGUE_KINDS = {
    "/Metadata": "XMP metadata",
    "/AcroForm": "form",
    "/OCProperties": "optional content (layers)",
    "/OpenAction": "action",
    "/AA": "action",
    "/Outlines": "outline",
}
NAME_TREE_KINDS = {"/EmbeddedFiles": "embedded file", "/JavaScript": "JavaScript"}


@dataclass(frozen=True)
class Hit:
    where: str  # "PDF page 3", "PDF metadata /Author", "JSON sections[2].text"
    kind: str  # the finder's kind, "internal id", "staff name or literal", "annotation"...
    excerpt: str = field(repr=False)  # a short window for the reviewer; holds the leak


class LeakCheckError(ValueError):
    """The file cannot be read: it must not leave either."""


def check(
    pdf: bytes,
    json_data: bytes,
    find: Finder,
    literals: Iterable[str],
    *,
    labels: Iterable[str] | None = None,
    own_ids: Iterable[str] = (),
) -> list[Hit]:
    """Every leak found in the PDF and the JSON of one export; empty when it is clean.

    A finder hit that lies wholly inside a redaction label is what redaction left, not a
    leak. `labels` are the exact labels redaction writes; without them a label is any
    bracket of lower-case Latin words (so a lower-case Latin name written in brackets would
    pass: give the labels to close that).

    `own_ids` are the export's own public ids ("EXP-QQ6R-5V52"): what the finder sees inside
    one (there, "QQ" followed by an id, a messaging handle) is the export naming itself.
    """
    label_set = None if labels is None else set(labels)
    scanner = _Scanner(find, _Literals(literals), label_set, own_ids)
    return _pdf_hits(pdf, scanner) + _json_hits(json_data, scanner)


def _normal(text: str) -> str:
    """NFKC (folds Arabic presentation forms, full-width letters), without invisible
    format characters (zero-width spaces, soft hyphens, direction marks)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _excerpt(text: str, start: int, end: int) -> str:
    low, high = max(0, start - WINDOW), min(len(text), end + WINDOW)
    return " ".join(text[low:high].split())


class _Literals:
    """Internal ids and staff names, matched after NFKC and case folding; a UUID also with
    its dashes and any spaces or line breaks removed (its bare hex)."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.ids: list[str] = []
        self.words: list[re.Pattern[str]] = []
        for literal in literals:
            try:
                self.ids.append(uuid.UUID(literal.strip()).hex)
            except ValueError:
                words = " ".join(_normal(literal).casefold().split())
                if words:
                    self.words.append(_whole(words))

    def hits(self, text: str) -> Iterator[tuple[str, str]]:
        folded = " ".join(_normal(text).casefold().split())
        for words in self.words:
            for match in words.finditer(folded):
                yield "staff name or literal", _excerpt(folded, match.start(), match.end())
        if self.ids:
            compact = DASHES_AND_SPACES.sub("", folded)
            for hex_id in self.ids:
                for match in re.finditer(hex_id, compact):
                    yield "internal id", _excerpt(compact, match.start(), match.end())


def _whole(words: str) -> re.Pattern[str]:
    """The words, not as part of a longer word ("Ali" is not in "Alim"); the edges of a
    name in Chinese characters are not marked, as that script writes no spaces."""
    before = "" if _is_cjk(words[0]) else r"(?<!\w)"
    after = "" if _is_cjk(words[-1]) else r"(?!\w)"
    return re.compile(before + re.escape(words) + after)


def _whole_ids(ids: list[str]) -> re.Pattern[str]:
    """Any of the ids, not as part of a longer word: "EXP-QQ6R-5V52x" is not the id."""
    return re.compile(r"(?<![\w\-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w\-])")


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK")


class _Scanner:
    def __init__(
        self, find: Finder, literals: _Literals, labels: set[str] | None, own_ids: Iterable[str]
    ) -> None:
        self.find = find
        self.literals = literals
        self.labels = None if labels is None else {" ".join(x.strip("[]").split()) for x in labels}
        own = sorted({_normal(i) for i in own_ids if i.strip()}, key=len, reverse=True)
        self.own_ids = _whole_ids(own) if own else None

    def _label_spans(self, text: str) -> list[tuple[int, int]]:
        # A label may be broken over two lines of a page.
        if self.labels is None:
            return [m.span() for m in BRACKETED.finditer(text) if LABEL_SHAPE.fullmatch(_inside(m))]
        return [m.span() for m in BRACKETED.finditer(text) if _inside(m) in self.labels]

    def scan(self, text: str, where: str) -> list[Hit]:
        # Line ends become spaces (same length, so the offsets hold): a name that a page
        # breaks over two lines is still one name for the finder.
        text = _normal(text).replace("\r", " ").replace("\n", " ")
        if not text.strip():
            return []
        allowed = self._label_spans(text)
        if self.own_ids is not None:
            allowed += [m.span() for m in self.own_ids.finditer(text)]
        hits = []
        for start, end, kind in self.find(text):
            if any(low <= start and end <= high for low, high in allowed):
                continue
            hits.append(Hit(where, kind, _excerpt(text, start, end)))
        hits.extend(Hit(where, kind, excerpt) for kind, excerpt in self.literals.hits(text))
        return hits


def _inside(match: re.Match[str]) -> str:
    return " ".join(match.group(1).split())


# --- PDF ------------------------------------------------------------------------------


def _pdf_hits(data: bytes, scanner: _Scanner) -> list[Hit]:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError) as error:
        raise LeakCheckError("the PDF cannot be read") from error
    with pdf:
        hits = _metadata_hits(pdf, scanner) + _structure_hits(pdf, scanner)
        hits += _file_hits(data, pdf)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise LeakCheckError("the PDF cannot be read") from error
    try:
        for number, page in enumerate(document, start=1):
            where = f"PDF page {number}"
            textpage = page.get_textpage()
            hits.extend(scanner.scan(pdf_text.logical_text(textpage), where))
            hits.extend(_hidden_text_hits(page, textpage, where))
    finally:
        document.close()
    return hits


def _metadata_hits(pdf: pikepdf.Pdf, scanner: _Scanner) -> list[Hit]:
    hits = []
    for key, value in pdf.docinfo.items():
        where = f"PDF metadata {key}"
        text = str(value)
        if key not in INFO_KEYS:
            hits.append(Hit(where, "metadata", _excerpt(text, 0, 0)))
        hits.extend(scanner.scan(text, where))
    return hits


def _structure_hits(pdf: pikepdf.Pdf, scanner: _Scanner) -> list[Hit]:
    hits = []
    root = pdf.Root
    for key in root.keys():
        if key in CATALOGUE_KEYS:
            continue
        where = f"PDF catalogue {key}"
        if key == "/Names":
            for tree in root.Names.keys():
                kind = NAME_TREE_KINDS.get(tree, "name tree")
                hits.append(Hit(where + tree, kind, ""))
        else:
            hits.append(Hit(where, CATALOGUE_KINDS.get(key, "catalogue entry"), ""))
            if _has_javascript(root[key]):
                hits.append(Hit(where, "JavaScript", ""))
    for number, page in enumerate(pdf.pages, start=1):
        for key in page.obj.keys():
            if key == "/Annots":
                hits.extend(_annotation_hits(page.obj.Annots, number, scanner))
            elif key not in PAGE_KEYS:
                kind = "action" if key == "/AA" else "page entry"
                hits.append(Hit(f"PDF page {number} {key}", kind, ""))
                if _has_javascript(page.obj[key]):
                    hits.append(Hit(f"PDF page {number} {key}", "JavaScript", ""))
    hits.extend(_object_hits(pdf))
    return hits


def _annotation_hits(annots: pikepdf.Object, page: int, scanner: _Scanner) -> list[Hit]:
    hits = []
    where = f"PDF annotation (page {page})"
    for annot in annots:
        subtype = str(annot.get("/Subtype", "/Annot"))
        kind = {"/FileAttachment": "attachment", "/Widget": "form field"}.get(subtype)
        hits.append(Hit(where, kind or f"annotation {subtype}", ""))
        for key in ("/Contents", "/T", "/TU", "/RC", "/V"):
            value = annot.get(key)
            if isinstance(value, pikepdf.String):
                hits.extend(scanner.scan(str(value), where))
    return hits


def _file_hits(data: bytes, pdf: pikepdf.Pdf) -> list[Hit]:
    """What no page shows but the file still holds: the earlier revisions an incremental
    update keeps, and objects nothing refers to."""
    hits = []
    if pdf.is_encrypted:
        # An owner password hides nothing from this check but the recipient may not be
        # able to read or copy the text, and nothing of an export needs it.
        hits.append(Hit("PDF file", "encrypted", ""))
    if data.count(b"%%EOF") > 1 or data.count(b"startxref") > 1:
        hits.append(Hit("PDF file", "earlier revision kept", ""))
    reached = _reachable(pdf)
    for obj in pdf.objects:
        if obj.objgen in reached or not isinstance(
            obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array | pikepdf.String
        ):
            continue  # a lone number or name says nothing
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") in (
            pikepdf.Name.ObjStm,
            pikepdf.Name.XRef,
        ):
            continue  # the file's own index: nothing refers to it by design
        hits.append(Hit(f"PDF object {obj.objgen[0]}", "unused object", ""))
    return hits


def _reachable(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            items = list(obj.values())
        elif isinstance(obj, pikepdf.Array):
            items = list(obj)
        else:
            continue
        for item in items:
            # pikepdf hands direct numbers and names over as Python values.
            if isinstance(item, pikepdf.Object) and item.is_indirect:
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            stack.append(item)
    return seen


def _has_javascript(obj: pikepdf.Object, depth: int = 4) -> bool:
    """An action written in place (not as an object of its own) holds its script inside."""
    if isinstance(obj, pikepdf.Dictionary):
        if obj.get("/S") == pikepdf.Name.JavaScript or "/JS" in obj:
            return True
        items = list(obj.values())
    elif isinstance(obj, pikepdf.Array):
        items = list(obj)
    else:
        return False
    return depth > 0 and any(_has_javascript(item, depth - 1) for item in items)


def _object_hits(pdf: pikepdf.Pdf) -> list[Hit]:
    """Structures that hide below the catalogue: XMP on a page or image, embedded file
    streams, JavaScript actions, content that belongs to a layer."""
    hits = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        where = f"PDF object {obj.objgen[0]}"
        kind_of = obj.get("/Type")
        if kind_of == pikepdf.Name.Metadata or obj.get("/Subtype") == pikepdf.Name.XML:
            hits.append(Hit(where, "XMP metadata", ""))
        elif kind_of in (pikepdf.Name.EmbeddedFile, pikepdf.Name.Filespec):
            hits.append(Hit(where, "embedded file", ""))
        elif kind_of in (pikepdf.Name.OCG, pikepdf.Name.OCMD) or "/OC" in obj:
            hits.append(Hit(where, "optional content (layers)", ""))
        if obj.get("/S") == pikepdf.Name.JavaScript or "/JS" in obj:
            hits.append(Hit(where, "JavaScript", ""))
    return hits


# Text render modes that draw nothing (3: invisible; 7: only adds to the clipping path).
INVISIBLE_MODES = (3, 7)
FILL_MODES = (0, 4)  # fill only, or fill and clip: the fill colour is all that shows


def _hidden_text_hits(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, where: str) -> list[Hit]:
    """Text the reader of the page cannot see: drawn invisible, drawn off the page, or
    covered afterwards by a filled shape or an image (a "redaction" by black box)."""
    hits = []
    width, height = page.get_size()
    shown: list[tuple[tuple[float, float, float, float], str]] = []
    for obj in page.get_objects(max_depth=8):
        bounds = obj.get_bounds()
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            # An export has no pictures: one could show a name that no text layer holds.
            hits.append(Hit(where, "image", ""))
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            text = _object_text(obj, textpage)
            if not text.strip():
                continue
            mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
            if mode in INVISIBLE_MODES:
                hits.append(Hit(where, "invisible text", _excerpt(text, 0, len(text))))
            elif mode in FILL_MODES and _unseen_fill(obj):
                hits.append(
                    Hit(where, "text in white or transparent", _excerpt(text, 0, len(text)))
                )
            elif _area(_intersection(bounds, (0, 0, width, height))) == 0:
                hits.append(Hit(where, "text off the page", _excerpt(text, 0, len(text))))
            else:
                shown.append((bounds, text))
        elif _covers(obj):
            for text_bounds, text in shown:
                covered = _area(_intersection(bounds, text_bounds))
                if covered and covered >= 0.5 * _area(text_bounds):
                    hits.append(Hit(where, "text under a shape", _excerpt(text, 0, len(text))))
    return hits


def _fill_colour(obj: pdfium.PdfObject) -> tuple[int, int, int, int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj.raw, *(ctypes.byref(v) for v in (r, g, b, a))):
        return (0, 0, 0, 255)
    return (r.value, g.value, b.value, a.value)


def _unseen_fill(obj: pdfium.PdfObject) -> bool:
    """White (on the white page) or fully transparent."""
    r, g, b, a = _fill_colour(obj)
    return a == 0 or (r, g, b) == (255, 255, 255)


def _covers(obj: pdfium.PdfObject) -> bool:
    if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return True
    if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
        return False
    fill, stroke = ctypes.c_int(), pdfium_c.FPDF_BOOL()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    if fill.value == 0:
        return False
    return _fill_colour(obj)[3] > 0


def _object_text(obj: pdfium.PdfObject, textpage: pdfium.PdfTextPage) -> str:
    size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFTextObj_GetText(obj.raw, textpage, buffer, size)
    return bytes(buffer)[: size - 2].decode("utf-16-le", errors="replace")


Box = tuple[float, float, float, float]


def _intersection(a: Box, b: Box) -> Box:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


# --- JSON -----------------------------------------------------------------------------

JSON_FIELDS = ("export_id", "title", "day", "recipient", "sections")
SECTION_FIELDS = ("heading", "text")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _json_hits(data: bytes, scanner: _Scanner) -> list[Hit]:
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LeakCheckError("the JSON cannot be read") from error
    hits = []
    if not isinstance(content, dict):
        return [Hit("JSON", "not an export", "")]
    for key in content:
        if key not in JSON_FIELDS:
            hits.append(Hit(f"JSON {key}", "extra field", ""))
    sections = content.get("sections")
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        for key in section if isinstance(section, dict) else ():
            if key not in SECTION_FIELDS:
                hits.append(Hit(f"JSON sections[{index}].{key}", "extra field", ""))
    if not (isinstance(content.get("day"), str) and DAY.match(content["day"])):
        hits.append(Hit("JSON day", "not a bare day", ""))
    for path, value in _strings(content, ""):
        hits.extend(scanner.scan(value, f"JSON {path}"))
    return hits


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a JSON value (keys included, numbers as text), with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, str(key)
            yield from _strings(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif value is not None:
        yield path or "(top)", str(value)
