"""What the hostile corpus plants and keeps (see hostile_files.py), and its photo."""

from __future__ import annotations

import io

from PIL import Image

AUTHOR = "HOSTILE-AUTHOR Mehrigul"
URL = "https://hostile.example/track?who=caseworker"
MARKERS = [
    b"HOSTILE",
    b"hostile.example",
    b"Mehrigul",
    b"2024-03-05",  # a date on a tracked change, a comment, a threaded comment
    b"20240305",  # the same date as PDF writes it
]
VISIBLE = "The body of the letter."


# --- photos -----------------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "HOSTILE-PHONE-MAKER"  # Make
    exif[0x013B] = AUTHOR  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (39.0, 28.0, 12.5)  # Kashgar
    gps[3], gps[4] = "E", (75.0, 59.0, 3.1)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"HOSTILE-COMMENT")
    return out.getvalue()
