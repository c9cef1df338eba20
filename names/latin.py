# ruff: noqa: RUF001 -- Turkic letters, apostrophes and hyphens look alike on purpose
"""Informal Latin spellings folded to one plain a-z form, close to Uyghur Latin (ULY).

Reporters write the same name Turkish-style (Mehmet Tursun, Gülnar, Şöhret), English-style
(Mukhtar, Ghulam, Shohret, Qurban/Kurban), German-style (Schöhret, Tschimen, Guelnar), with
doubled letters, hyphens, apostrophes, ALL-CAPS surnames, or in ULY itself (Abdurëhim,
Mes'ud). `uly()` keeps the ULY letters with diacritics (for variants); `fold()` is the plain
a-z form the keys and scores work on.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Turkish, Azerbaijani, Kazakh-Latin, Uzbek and ULY letters -> ULY (diacritics kept on ö ü é).
_TO_ULY = {
    "ş": "sh",
    "ș": "sh",
    "š": "sh",
    "ç": "ch",
    "č": "ch",
    "ğ": "gh",
    "ǵ": "gh",
    "ı": "i",
    "ï": "i",
    "í": "i",
    "ì": "i",
    "î": "i",
    "ë": "é",
    "è": "e",
    "ê": "e",
    "ə": "e",
    "ä": "e",
    "á": "a",
    "à": "a",
    "â": "a",
    "ā": "a",
    "ñ": "ng",
    "ń": "ng",
    "ŋ": "ng",
    "ž": "zh",
    "ó": "o",
    "ò": "o",
    "ô": "o",
    "ō": "o",
    "ő": "ö",
    "ú": "u",
    "ù": "u",
    "û": "u",
    "ū": "u",
    "ű": "ü",
    "ǘ": "ü",
    "ǚ": "ü",
    "ǜ": "ü",
    "ǖ": "ü",
    "ý": "y",
    "ÿ": "y",
}

_APOSTROPHES = "'’‘`´ʼʻʹ\u02bf\u02be"


def uly(token: str) -> str:
    """A Latin token lowercased, its letters mapped to ULY (ö ü é kept); other marks dropped."""
    text = unicodedata.normalize("NFC", token)
    # Turkish dotted capital İ lowercases to i + combining dot; make it a plain i first.
    text = text.replace("İ", "i").replace("I", "i").lower()
    out = []
    for ch in text:
        if ch in _TO_ULY:
            out.append(_TO_ULY[ch])
        elif ch in "öüé" or "a" <= ch <= "z":
            out.append(ch)
        elif ch in _APOSTROPHES or ch in "-‐‑–.":
            continue  # ULY syllable apostrophe, hyphenated names: one part
        elif ch.isalpha():
            out.append(anyascii(ch).lower())
    return re.sub(r"[^a-zöüé]", "", "".join(out))


# German-style spellings (tsch, sch, ue/oe for ü/ö) and English digraphs to ULY-like a-z.
_FOLDS = [
    (re.compile(r"dsch"), "j"),
    (re.compile(r"tsch"), "ch"),
    (re.compile(r"sch"), "sh"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"(?<=.)ue"), "u"),
    (re.compile(r"(?<=.)oe"), "o"),
    (re.compile(r"kh"), "x"),
    # German ch before a consonant is kh (Achmet), j before one is y (Ajnur).
    (re.compile(r"ch(?=[^aeiouy]|$)"), "x"),
    (re.compile(r"(?<=[aeiou])j(?=[^aeiouy]|$)|^j(?=[^aeiouy])"), "y"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Abdulla / Abdula, Memmet
    # The Arabic article as Turkish and Russian keep it: Abdülkerim, Абдулкерим -> abdukerim.
    (re.compile(r"^abdul(?=[^aeiouy])"), "abdu"),
]


def fold_uly(text: str) -> str:
    """A ULY (or ULY-like) string to plain a-z: ö->o, ü->u, é->e, German and English digraphs."""
    s = text.replace("ö", "o").replace("ü", "u").replace("é", "e")
    for pattern, repl in _FOLDS:
        s = pattern.sub(repl, s)
    return s


def fold(token: str) -> str:
    """A Latin token (any informal style) to its plain a-z folded form."""
    return fold_uly(uly(token))
