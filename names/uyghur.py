# ruff: noqa: RUF001 -- the table maps Arabic letters to Uyghur letters
"""Uyghur Arabic script <-> Uyghur Latin (ULY) <-> Uyghur Cyrillic, through `umsc`.

Only the normalisation of what umsc does not expect is ours: Arabic-alphabet letters that
Uyghur does not use (names written Arabic- or Persian-style: محمد, حسن), vowel marks, and
presentation forms pasted from PDFs.
"""

from __future__ import annotations

import functools
import unicodedata

from umsc import UgMultiScriptConverter  # type: ignore[import-untyped, unused-ignore]

# Arabic/Persian letters -> the Uyghur letter of the same sound (ع and vowel marks dropped).
_ARABIC_TO_UYGHUR = str.maketrans(
    {
        "ح": "ھ",
        "ه": "ھ",
        "ة": "ە",
        "ص": "س",
        "ث": "س",
        "ض": "ز",
        "ظ": "ز",
        "ذ": "ز",
        "ط": "ت",
        "ی": "ى",
        "ي": "ي",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ع": "",
        "ء": "",
        "ـ": "",
    }
)


@functools.cache
def _converter(source: str, target: str) -> UgMultiScriptConverter:
    return UgMultiScriptConverter(source, target)


def _normalise_arabic(text: str) -> str:
    # NFKC turns presentation forms into plain letters but also splits ئ-ligatures; fine.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.translate(_ARABIC_TO_UYGHUR)


def to_uly(arabic: str) -> str:
    """Uyghur Arabic script -> ULY (lowercase, é for ې)."""
    return str(_converter("UAS", "ULS")(_normalise_arabic(arabic))).lower()


def to_arabic(uly: str) -> str:
    """ULY -> Uyghur Arabic script. ULY's ë is written é by umsc."""
    return str(_converter("ULS", "UAS")(uly.lower().replace("ë", "é")))


def to_cyrillic(uly: str) -> str:
    """ULY -> Uyghur Cyrillic script (Мәмәт Турсун)."""
    return str(_converter("ULS", "UCS")(uly.lower().replace("ë", "é")))
