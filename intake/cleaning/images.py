"""Photos: decoded and encoded again from their pixels alone. Runs in the cleaner child."""

import io
import warnings

from intake.sanitise import EXIT_TOO_LARGE, MAX_PIXELS


class Refused(Exception):
    """The child refuses the file; `code` is its exit status (EXIT_* in intake.sanitise)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def clean_image(data: bytes, kind: str) -> bytes:
    """Decode, apply the EXIF orientation, encode the pixels alone (no EXIF, XMP, ICC, text)."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    fmt = {"jpeg": "JPEG", "png": "PNG"}[kind]
    image: Image.Image  # opened as an ImageFile; transposed and converted, a plain Image
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
    return encode_pixels(image, kind)


def encode_pixels(image, kind: str, quality: int = 90) -> bytes:
    """A fresh image from the raw pixels carries no info dict, so nothing can be re-emitted."""
    from PIL import Image

    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if kind == "jpeg":
        clean.save(out, "JPEG", quality=quality)
    else:
        clean.save(out, "PNG")
    return out.getvalue()
