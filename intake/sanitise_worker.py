"""The child process of `intake.sanitise`: stdin -> file without metadata -> stdout.

Usage: python -m intake.sanitise_worker KIND < upload > clean. Exits non-zero on any problem
(see EXIT_* in intake.sanitise). It limits its own resources before it reads a byte, and imports
Pillow or pikepdf only after that.
"""

import ctypes
import io
import re
import resource
import sys
import warnings
import zipfile

from intake.sanitise import (
    EXIT_ENCRYPTED,
    EXIT_TOO_LARGE,
    EXIT_UNREADABLE,
    MAX_INPUT_BYTES,
    MAX_OUTPUT_BYTES,
    MAX_PIXELS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_MEMBERS,
    detect,
    open_zip,
)


class Refused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def limit_resources() -> None:
    limits = {
        resource.RLIMIT_AS: 1024**3,  # a bomb hits MemoryError instead of the machine
        resource.RLIMIT_CPU: 15,  # SIGXCPU after 15 s of CPU: endless loops end
        resource.RLIMIT_FSIZE: 0,  # may not write files: no plaintext on disk, ever
        resource.RLIMIT_CORE: 0,  # a crash must not dump the upload to disk
        resource.RLIMIT_NOFILE: 32,
    }
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))
    # Not dumpable: no core dump through a core_pattern pipe, no ptrace by same-user processes.
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4


# --- photos -----------------------------------------------------------------------------------


def clean_image(data: bytes, kind: str) -> bytes:
    """Decode, apply the EXIF orientation, encode the pixels alone (no EXIF, XMP, ICC, text)."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    fmt = {"jpeg": "JPEG", "png": "PNG"}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(EXIT_TOO_LARGE) from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image.mode.startswith("I"):  # 16-bit grey: scale it, where convert("L") would clip it
        image = image.convert("I").point(lambda value: value / 257)
    if image.mode in ("1", "L", "I"):
        mode = "L"
    elif has_alpha and kind == "png":
        mode = "RGBA"
    else:
        mode = "RGB"  # CMYK, P, LA, I;16... the formats every viewer reads
    image = image.convert(mode)
    # A fresh image from the raw pixels carries no info dict, so nothing can be re-emitted.
    clean = Image.frombytes(mode, image.size, image.tobytes())
    out = io.BytesIO()
    if kind == "jpeg":
        clean.save(out, "JPEG", quality=90)
    else:
        clean.save(out, "PNG")
    return out.getvalue()


def strip_jpeg_segments(data: bytes) -> bytes:
    """Drop APP1-APP13, APP15 (EXIF, XMP, ICC, Photoshop...) and comments, without re-encoding.

    For JPEG images inside PDFs, whose pixels must stay as they are. APP0 (JFIF) and APP14
    (Adobe: says how to read CMYK) are kept; everything from the scan on is copied.
    """
    if not data.startswith(b"\xff\xd8"):
        raise Refused(EXIT_UNREADABLE)
    parts, i = [b"\xff\xd8"], 2
    while True:
        if i + 4 > len(data) or data[i] != 0xFF:
            raise Refused(EXIT_UNREADABLE)
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan, end of image
            parts.append(data[i:])
            return b"".join(parts)
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2:
            raise Refused(EXIT_UNREADABLE)
        if not (0xE1 <= marker <= 0xEF and marker != 0xEE) and marker != 0xFE:
            parts.append(data[i : i + 2 + length])
        i += 2 + length


# --- PDF --------------------------------------------------------------------------------------


def clean_pdf(data: bytes) -> bytes:
    import pikepdf
    from pikepdf import Name

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused(EXIT_ENCRYPTED) from None
    with pdf:
        if pdf.is_encrypted:  # even with an empty user password: we would drop the protection
            raise Refused(EXIT_ENCRYPTED)
        # /ID too: qpdf keeps the first half of an old ID, which links the file to its original.
        for key in ("/Info", "/ID"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        for key in ("/OpenAction", "/Metadata", "/PieceInfo", "/AA"):
            if key in pdf.Root:
                del pdf.Root[key]
        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            for key in ("/EmbeddedFiles", "/JavaScript"):
                if key in names:
                    del names[key]
        for obj in pdf.objects:  # every indirect object: pages, images, annotations, fields
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            # XMP, application data, actions run on events, embedded and associated files
            for key in ("/Metadata", "/PieceInfo", "/AA", "/EF", "/AF"):
                if key in obj:
                    del obj[key]
            action = obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/S") in (
                Name.JavaScript,
                Name.Launch,
            ):
                del obj["/A"]
            # A comment's /T is its author's name (a form field's /T is its name: kept).
            # Annotations need not say /Type /Annot; every one has a /Rect and a /Subtype.
            if "/Rect" in obj and obj.get("/Subtype") not in (None, Name.Widget) and "/T" in obj:
                del obj["/T"]
            if isinstance(obj, pikepdf.Stream) and _is_jpeg(obj):
                # a photo inside the PDF: its own EXIF may hold a GPS position
                parameters = obj.get("/DecodeParms")
                jpeg = strip_jpeg_segments(obj.read_raw_bytes())
                obj.write(jpeg, filter=Name.DCTDecode, decode_parms=parameters)
        out = io.BytesIO()
        # No new metadata on save: no XMP version fix, an /ID computed from the content.
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    with pikepdf.open(io.BytesIO(out.getvalue())) as check:  # refuse rather than leak
        if "/Info" in check.trailer or "/Metadata" in check.Root:
            raise Refused(EXIT_UNREADABLE)
    return out.getvalue()


def _is_jpeg(stream) -> bool:
    import pikepdf

    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    if isinstance(filters, pikepdf.Array) and pikepdf.Name.DCTDecode in list(filters):
        raise Refused(EXIT_UNREADABLE)  # e.g. Flate over DCT: rare, and we cannot strip it
    return filters == pikepdf.Name.DCTDecode


# --- DOCX, XLSX, ODT --------------------------------------------------------------------------

# Replaced rather than deleted, so [Content_Types].xml, _rels/.rels and manifest.xml, which name
# them, stay true and Word, Excel and LibreOffice open the file without a repair prompt.
_OOXML_EMPTY = {
    "docProps/core.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl'
    b'.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
    "docProps/app.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>',
    "docProps/custom.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>',
}
_ODF_EMPTY = {
    "meta.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office='
    b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="%s"><office:meta/>'
    b"</office:document-meta>",
    # LibreOffice keeps the printer's name and driver settings here; all of it is optional.
    "settings.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="%s"/>',
}
_ODF_VERSION = re.compile(rb'office:version="([0-9.]{1,8})"')
# Names of people elsewhere: tracked changes and comments (w:author, w:initials), Word's list of
# co-authors (w15:author, w15:userId: an e-mail address), Excel comment authors, ODF annotations.
_PERSON_ATTRIBUTE = re.compile(
    rb"""(\s(?:[\w.-]+:)?(?:author|initials|userId|providerId)\s*=\s*)(?:"[^"]*"|'[^']*')"""
)
_PERSON_ELEMENT = re.compile(
    rb"<(dc:creator|cp:lastModifiedBy|meta:initial-creator|meta:printed-by|author)(\s[^>]*)?>"
    rb"[^<]*</\1>"
)
# A template or linked file on the author's disk: C:\Users\<name>\... keep the file name only.
_LOCAL_TARGET = re.compile(rb'(\sTarget=")(?:file:|[A-Za-z]:\\|\\\\)[^"]*?([^"\\/]*)"')


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        bool(name)
        and not name.startswith(("/", "\\"))
        and ":" not in parts[0]
        and (".." not in parts)
        and "\0" not in name
    )


def clean_member(kind: str, name: str, body: bytes, depth: int) -> bytes:
    empty = _ODF_EMPTY if kind == "odt" else _OOXML_EMPTY
    if name in empty:
        if kind != "odt":
            return empty[name]
        found = _ODF_VERSION.search(body)  # keep the version: it should agree with content.xml
        return empty[name] % (found.group(1) if found else b"1.2")
    inner = detect(body)
    if inner in ("jpeg", "png"):  # a photo pasted into the document keeps its GPS otherwise
        return clean_image(body, inner)
    if inner in ("docx", "xlsx", "odt"):  # e.g. every chart in Word is an embedded workbook
        if depth >= 2:
            raise Refused(EXIT_UNREADABLE)
        return clean_office(body, inner, depth + 1)
    if name.endswith((".xml", ".rels")):
        body = _PERSON_ATTRIBUTE.sub(rb'\1""', body)
        body = _PERSON_ELEMENT.sub(rb"<\1\2></\1>", body)
        body = _LOCAL_TARGET.sub(rb'\1\2"', body)
    return body


def clean_office(data: bytes, kind: str, depth: int = 0) -> bytes:
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
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as clean:
            for member in members:
                if member.flag_bits & 0x1:
                    raise Refused(EXIT_ENCRYPTED)
                with archive.open(member) as stream:
                    body = stream.read(budget + 1)  # the header's size is not trusted
                budget -= len(body)
                if budget < 0:
                    raise Refused(EXIT_TOO_LARGE)
                # A fresh entry: no timestamps, comments, extra fields (owner ids), host system.
                entry = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
                # ODF wants "mimetype" stored, uncompressed and first (it is: order is kept).
                stored = member.filename == "mimetype" or member.is_dir()
                entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                clean.writestr(entry, clean_member(kind, member.filename, body, depth))
    return out.getvalue()


# ----------------------------------------------------------------------------------------------


def main() -> int:
    limit_resources()
    kind = sys.argv[1] if len(sys.argv) == 2 else ""
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    try:
        if len(data) > MAX_INPUT_BYTES:
            raise Refused(EXIT_TOO_LARGE)
        if detect(data) != kind:  # the parent decided; check again rather than trust argv
            raise Refused(EXIT_UNREADABLE)
        if kind in ("jpeg", "png"):
            out = clean_image(data, kind)
        elif kind == "pdf":
            out = clean_pdf(data)
        else:
            out = clean_office(data, kind)
        if len(out) > MAX_OUTPUT_BYTES:
            raise Refused(EXIT_TOO_LARGE)
    except Refused as refusal:
        return refusal.code
    except (MemoryError, zipfile.LargeZipFile):
        return EXIT_TOO_LARGE
    except Exception:  # noqa: BLE001 -- whatever a parser raises on a hostile file, we refuse it
        return EXIT_UNREADABLE
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
