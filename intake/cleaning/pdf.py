"""PDF: every page is rendered to pixels and a new PDF is built from those pictures alone.

Why render rather than clean: a PDF can hide things in any object, direct or indirect, in any
dictionary or array (actions chained through /Next, annotations' authors and dates, links to a
web address, XFA forms with scripts, embedded files, XMP, fonts that attack the viewer). Walking
all of that with an allow-list keeps the staff viewer's parser exposed to whatever the allow-list
lets through; a page rendered to a picture carries nothing but what the page showed. The cost:
text can no longer be selected or searched, and files grow. See docs/UPLOADS.md.

The renderer is PDFium (pypdfium2's own build: no JavaScript engine, no XFA), run inside the
cleaner child with its resource limits, entirely in memory. No form environment is set up, so no
script can run while rendering. The output is written by pikepdf from our own pictures, then
checked against an allow-list of keys before it leaves the child.
"""

import io
import math
from collections.abc import Iterator
from typing import Any

from intake.sanitise import (
    EXIT_CLEANED_TOO_LARGE,
    EXIT_ENCRYPTED,
    EXIT_TOO_LARGE,
    EXIT_UNREADABLE,
    output_cap,
)

from .images import Refused

DPI = 150  # readable print, a few hundred KB a page
MAX_PAGES = 200
MAX_PAGE_PIXELS = 8_000_000  # a poster-sized page is rendered at a lower resolution instead
# All pages together: a long document is rendered at a lower resolution rather than refused,
# down to MIN_DPI; below that it could not be read, so it is refused.
MAX_DOCUMENT_PIXELS = 150_000_000
MIN_DPI = 72
JPEG_QUALITY = 80

# The only keys the rebuilt file may hold, in any object. Anything else means our own build went
# wrong (or a library started adding something): refuse rather than pass it on.
ALLOWED_KEYS = frozenset(
    {
        "/Type",
        "/Pages",
        "/Kids",
        "/Count",
        "/Parent",
        "/MediaBox",
        "/Resources",
        "/XObject",
        "/Contents",
        "/Subtype",
        "/Width",
        "/Height",
        "/ColorSpace",
        "/BitsPerComponent",
        "/Filter",
        "/Length",
        "/Im0",  # the page's one picture, named in its /XObject resources
    }
)
ALLOWED_TRAILER = frozenset({"/Root", "/Size", "/ID"})


def _open(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise Refused(EXIT_ENCRYPTED) from None
        raise Refused(EXIT_UNREADABLE) from None
    # Even with an empty user password: the sender meant to protect it.
    if raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
        raise Refused(EXIT_ENCRYPTED)
    return document


def render_pages(data: bytes) -> Iterator[tuple[Any, tuple[float, float], int]]:
    """Yield each page as a Pillow RGB image, its size in points, and the pages left."""
    document = _open(data)
    if len(document) == 0:
        raise Refused(EXIT_UNREADABLE)
    if len(document) > MAX_PAGES:
        raise Refused(EXIT_TOO_LARGE)
    sizes = [document.get_page_size(index) for index in range(len(document))]
    if not all(1 <= w <= 14_400 and 1 <= h <= 14_400 for w, h in sizes):
        raise Refused(EXIT_UNREADABLE)
    area = sum(w * h for w, h in sizes)  # square points
    document_scale = min(DPI / 72, math.sqrt(MAX_DOCUMENT_PIXELS / area))
    if document_scale < MIN_DPI / 72:
        raise Refused(EXIT_CLEANED_TOO_LARGE)
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()  # points, rotation applied
        if not (1 <= width <= 14_400 and 1 <= height <= 14_400):
            raise Refused(EXIT_UNREADABLE)
        scale = document_scale
        if width * height * scale * scale > MAX_PAGE_PIXELS:
            scale = math.sqrt(MAX_PAGE_PIXELS / (width * height))
        # Annotations are drawn as the page shows them (a stamp, a highlight): pixels only.
        bitmap = page.render(scale=scale, draw_annots=True, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        yield image, (width, height), len(document) - index
        bitmap.close()
        page.close()
    document.close()


def clean_pdf(data: bytes) -> bytes:
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    out_pdf = pikepdf.new()
    cap, written = output_cap(len(data)), 0
    for image, (width, height), left in render_pages(data):
        image, encoded = _encode(image, (cap - written) / left, width)
        written += len(encoded)
        if written > cap:  # stop now rather than render the rest for nothing
            raise Refused(EXIT_CLEANED_TOO_LARGE)
        picture = pikepdf.Stream(out_pdf, encoded)
        picture.Type = Name.XObject
        picture.Subtype = Name.Image
        picture.Width, picture.Height = image.size
        picture.ColorSpace = Name.DeviceRGB
        picture.BitsPerComponent = 8
        picture.Filter = Name.DCTDecode
        draw = f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q".encode()
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, round(width, 2), round(height, 2)]),
            Resources=Dictionary(XObject=Dictionary(Im0=picture)),
            Contents=pikepdf.Stream(out_pdf, draw),
        )
        out_pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    # No metadata of our own: no XMP, no /Info, an /ID computed from the content alone.
    out_pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    result = out.getvalue()
    check_allowed(result)
    return result


def _encode(image, allowance: float, width_points: float) -> tuple[Any, bytes]:
    """The page as JPEG, at a lower resolution (down to MIN_DPI) when it would take more
    than its share of what the file may weigh: a page of text is ~450 KB at 150 dpi."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    if buffer.tell() <= allowance:
        return image, buffer.getvalue()
    smallest = min(1.0, width_points * MIN_DPI / 72 / image.width)
    # JPEG size falls more slowly than the area: aim below the share.
    factor = max(smallest, math.sqrt(0.6 * max(allowance, 1) / buffer.tell()))
    if factor >= 1.0:
        return image, buffer.getvalue()
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    image = image.resize(size)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return image, buffer.getvalue()


def check_allowed(data: bytes) -> None:
    """Refuse unless every object of the file, direct or indirect, holds allowed keys only."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if set(pdf.trailer.keys()) - ALLOWED_TRAILER:
            raise Refused(EXIT_UNREADABLE)
        seen: set[tuple[int, int]] = set()
        stack = [pdf.trailer.Root]
        while stack:
            obj = stack.pop()
            if isinstance(obj, pikepdf.Object) and obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            if isinstance(obj, pikepdf.Stream | pikepdf.Dictionary):
                if set(obj.keys()) - ALLOWED_KEYS:
                    raise Refused(EXIT_UNREADABLE)
                stack.extend(obj[key] for key in obj.keys() if key != "/Parent")
            elif isinstance(obj, pikepdf.Array):
                stack.extend(obj)
