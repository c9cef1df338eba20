"""Which script a name is written in, from its characters.

A form's script choice is only a hint: reporters pick it wrongly (a name typed in
Latin letters under "Uyghur Arabic script", a Kazakh name in Cyrillic under "Latin").
The characters decide; the hint only breaks ties and says how to read Latin (pinyin).
"""

from __future__ import annotations

import unicodedata

ARAB, LATN, CYRL, HANI = "Arab", "Latn", "Cyrl", "Hani"

# Form codes (intake's script field) and ISO 15924 codes -> the script they hint at.
# "pinyin" is Latin letters; parse() then tries the pinyin readings first.
_HINTS = {
    "ug-arab": ARAB,
    "arab": ARAB,
    "latin": LATN,
    "latn": LATN,
    "pinyin": LATN,
    "cyrillic": CYRL,
    "cyrl": CYRL,
    "hani": HANI,
    "hans": HANI,
    "hant": HANI,
}


def hint(code: str) -> str:
    """The script a form or ISO 15924 code hints at: "Arab", "Latn", "Cyrl", "Hani" or ""."""
    return _HINTS.get((code or "").strip().lower(), "")


def char_script(ch: str) -> str:
    """The script of one character ("" for digits, punctuation, marks, spaces)."""
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFEFF:
        # Arabic letters, Arabic Supplement, presentation forms (pasted from PDFs).
        return ARAB if unicodedata.category(ch).startswith("L") else ""
    if 0x0400 <= cp <= 0x052F:
        return CYRL if unicodedata.category(ch).startswith("L") else ""
    if (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FFFF
    ):
        return HANI
    if ch.isalpha() and "LATIN" in unicodedata.name(ch, ""):
        return LATN
    return ""


def detect_script(text: str, hint_script: str = "") -> str:
    """The script most of the letters of text are in; the hint breaks a tie.

    One Chinese character weighs as much as a Latin syllable (3 letters), so that
    "Memet 买买提" is not called Latin only because Latin letters are more numerous.
    """
    counts: dict[str, int] = {}
    for ch in text:
        s = char_script(ch)
        if s:
            counts[s] = counts.get(s, 0) + (3 if s == HANI else 1)
    if not counts:
        return ""
    best = max(counts.values())
    tied = [s for s, n in counts.items() if n == best]
    if hint_script in tied:
        return hint_script
    return sorted(tied)[0]
