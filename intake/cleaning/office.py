"""Word, Excel and OpenDocument files, cleaned by allow-list. Runs in the cleaner child.

A part (a member of the ZIP) stays only if its name is on the list for its kind; every XML part
that stays is parsed and rebuilt keeping only elements and attributes of known namespaces (see
xml.py), without the names, dates and ids that identify people or machines. Relationships and
manifests are rewritten so they name only what stays. Tracked changes are accepted (a deleted
passage is gone, not hidden). A required part that cannot be cleaned refuses the whole file.
"""

import io
import posixpath
import re
import zipfile

from intake.sanitise import (
    EXIT_ENCRYPTED,
    EXIT_TOO_LARGE,
    EXIT_UNREADABLE,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_MEMBERS,
    detect,
    open_zip,
)

from . import xml
from .images import Refused, clean_image

_IMAGE = r"[^/]+\.(?:png|jpe?g)"
# Parts that may stay, by kind; anything else (customXml/, docProps/custom.xml, xl/persons/,
# threaded comments, printerSettings/, embeddings/ and OLE objects, macros, external links,
# data connections, thumbnails, embedded fonts, people.xml...) is dropped.
PARTS = {
    "docx": [
        r"\[Content_Types\]\.xml",
        r"_rels/\.rels",
        r"docProps/(?:core|app)\.xml",
        r"word/(?:document|styles|stylesWithEffects|fontTable|settings|webSettings|numbering"
        r"|footnotes|endnotes|comments)\.xml",
        r"word/(?:header|footer)\d{1,3}\.xml",
        r"word/theme/theme\d{1,3}\.xml",
        r"word/_rels/[\w.]{1,60}\.xml\.rels",
        r"word/media/" + _IMAGE,
        r"word/charts/chart\d{1,3}\.xml",
        r"word/charts/_rels/chart\d{1,3}\.xml\.rels",
    ],
    "xlsx": [
        r"\[Content_Types\]\.xml",
        r"_rels/\.rels",
        r"docProps/(?:core|app)\.xml",
        r"xl/(?:workbook|styles|sharedStrings|metadata)\.xml",  # no calcChain: no formulas
        r"xl/tables/table\d{1,4}\.xml",
        r"xl/_rels/workbook\.xml\.rels",
        r"xl/worksheets/sheet\d{1,4}\.xml",
        r"xl/worksheets/_rels/sheet\d{1,4}\.xml\.rels",
        r"xl/theme/theme\d{1,3}\.xml",
        r"xl/comments\d{1,4}\.xml",
        r"xl/drawings/(?:drawing\d{1,4}\.xml|vmlDrawing\d{1,4}\.vml)",
        r"xl/drawings/_rels/(?:drawing\d{1,4}\.xml|vmlDrawing\d{1,4}\.vml)\.rels",
        r"xl/media/" + _IMAGE,
        r"xl/charts/chart\d{1,4}\.xml",
        r"xl/charts/_rels/chart\d{1,4}\.xml\.rels",
    ],
    "odt": [
        r"mimetype",
        r"content\.xml",
        r"styles\.xml",
        r"meta\.xml",
        r"settings\.xml",
        r"META-INF/manifest\.xml",
        r"Pictures/" + _IMAGE,
    ],
}
_PART_RE = {kind: re.compile("|".join(f"(?:{p})" for p in parts)) for kind, parts in PARTS.items()}
# Without these the document is not itself: refuse it rather than hand over something else.
REQUIRED = {
    "docx": {"[Content_Types].xml", "_rels/.rels", "word/document.xml"},
    "xlsx": {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"},
    "odt": {"mimetype", "content.xml", "META-INF/manifest.xml"},
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# Neutral properties, so the parts the package names still exist and open without a repair.
NEUTRAL = {
    "docProps/core.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl'
    b'.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
    "docProps/app.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>',
    "meta.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office='
    b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="%s"><office:meta/>'
    b"</office:document-meta>",
    # LibreOffice keeps the printer's name and driver settings here; all of it is optional.
    "settings.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="%s"/>',
}
_ODF_VERSION = re.compile(rb'office:version="([0-9.]{1,8})"')


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        bool(name)
        and not name.startswith(("/", "\\"))
        and ":" not in parts[0]
        and (".." not in parts)
        and "\0" not in name
    )


def read_members(data: bytes, kind: str) -> list[tuple[str, bytes]]:
    """Every member, checked and read within the unzipped budget, in archive order."""
    with open_zip(data) as archive:
        members = archive.infolist()
        names = [member.filename for member in members]
        if len(members) > MAX_ZIP_MEMBERS:
            raise Refused(EXIT_TOO_LARGE)
        # Two members of one name would be read differently by different programs.
        if len(set(names)) != len(names) or not all(_safe_name(name) for name in names):
            raise Refused(EXIT_UNREADABLE)
        if kind == "odt" and names[0] != "mimetype":
            raise Refused(EXIT_UNREADABLE)
        budget = MAX_UNZIPPED_BYTES
        read = []
        for member in members:
            if member.flag_bits & 0x1:
                raise Refused(EXIT_ENCRYPTED)
            if member.is_dir() or not _PART_RE[kind].fullmatch(member.filename):
                continue  # dropped unread
            with archive.open(member) as stream:
                body = stream.read(budget + 1)  # the header's size is not trusted
            budget -= len(body)
            if budget < 0:
                raise Refused(EXIT_TOO_LARGE)
            read.append((member.filename, body))
    return read


def clean_office(data: bytes, kind: str) -> bytes:
    members = dict(read_members(data, kind))
    if not REQUIRED[kind] <= members.keys():
        raise Refused(EXIT_UNREADABLE)
    if kind == "odt" and members["mimetype"] != ODT_MIMETYPE:
        raise Refused(EXIT_UNREADABLE)
    if kind == "odt" and b"encryption-data" in members["META-INF/manifest.xml"]:
        raise Refused(EXIT_ENCRYPTED)

    kept: dict[str, bytes] = {}
    for name, body in members.items():
        cleaned = _clean_part(kind, name, body)
        if cleaned is None and name in REQUIRED[kind]:
            raise Refused(EXIT_UNREADABLE)
        if cleaned is not None:
            kept[name] = cleaned
    # Relationships and manifests last: they must name only the parts that stayed.
    if kind == "odt":
        kept["META-INF/manifest.xml"] = xml.clean_manifest(kept["META-INF/manifest.xml"], kept)
    else:
        removed_ids = {}
        for name in [n for n in kept if n.endswith(".rels")]:
            source = _rels_source(name)
            if source not in kept and name != "_rels/.rels":
                del kept[name]
                continue
            kept[name], removed_ids[source] = xml.clean_rels(kept[name], source, kept)
        for source, ids in removed_ids.items():
            if ids and source in kept:
                kept[source] = xml.drop_references(kept[source], ids)
        kept["[Content_Types].xml"] = xml.clean_content_types(kept["[Content_Types].xml"], kept)
        if not REQUIRED[kind] <= kept.keys():
            raise Refused(EXIT_UNREADABLE)
    return _write_zip(kind, kept)


def _rels_source(rels_name: str) -> str:
    """word/_rels/document.xml.rels describes word/document.xml; _rels/.rels the package."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file[: -len(".rels")]


def _clean_part(kind: str, name: str, body: bytes) -> bytes | None:
    """The part without what identifies anyone, or None to drop it."""
    if name in NEUTRAL:
        if kind != "odt":
            return NEUTRAL[name]
        found = _ODF_VERSION.search(body)  # keep the version: it should agree with content.xml
        return NEUTRAL[name] % (found.group(1) if found else b"1.2")
    if name == "mimetype":
        return body
    if name.rsplit("/", 1)[0] in ("word/media", "xl/media", "Pictures"):
        inner = detect(body)  # a photo pasted into the document keeps its GPS otherwise
        return clean_image(body, inner) if inner in ("jpeg", "png") else None
    if name.endswith(".rels") or name in ("[Content_Types].xml", "META-INF/manifest.xml"):
        return xml.parse_check(body)  # rewritten once every part is known
    return xml.clean_part(kind, body, vml=name.endswith(".vml"))


def _write_zip(kind: str, kept: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    names = sorted(kept, key=lambda n: (n != "mimetype", n))  # ODF wants mimetype first
    with zipfile.ZipFile(out, "w") as clean:
        for name in names:
            # A fresh entry: no timestamps, comments, extra fields (owner ids), host system.
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            stored = name == "mimetype"  # ODF wants it stored, uncompressed
            entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            clean.writestr(entry, kept[name])
    return out.getvalue()


def resolve(source: str, target: str) -> str:
    """A relationship's internal target as a part name."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    base = posixpath.dirname(source) if source != "" else ""
    return posixpath.normpath(posixpath.join(base, target))
