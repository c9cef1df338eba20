"""Names parsed into parts, and compared part by part.

    parse("买买提·吐尔逊")   -> Name(script="Hani", parts=(Part(folded="memet", ...),
                                                      Part(folded="tursun", ...)))
    parse("Мамат Турсунов")  -> parts "mamat", "tursun" (-ов stripped)
    score(a, b)              -> 0..100 (names.scoring)

Every script is first turned into one plain a-z folded form per part (`names.latin`,
`names.cyrillic`, `names.uyghur`, `names.chinese`), then keyed (`names.keys`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

from . import chinese, cyrillic, latin, uyghur
from .keys import STOPWORDS, keys, skeleton, strip_affixes
from .scripts import ARAB, CYRL, HANI, LATN, char_script, detect_script, hint

# A part has at most this many keys (each one a blind-index bucket).
MAX_KEYS = 4


@dataclass(frozen=True)
class Part:
    """One name part: as written, folded to plain a-z, and its phonetic keys.

    readings holds every folded reading considered (the first is `folded`): a part in
    Chinese characters or pinyin can be read several ways. uly is the part in Uyghur Latin
    with its diacritics when the script tells them (for `variants`), else the folded form.
    surname is set when the writing marks the part as a family name: ALL CAPS among
    mixed-case parts (TURSUNOV Mamat), or a patronymic suffix (Tursunov, Serikuly).
    """

    written: str
    folded: str
    keys: frozenset[str]
    readings: tuple[str, ...] = ()
    uly: str = ""
    surname: bool = False


@dataclass(frozen=True)
class Name:
    """A name as written, the script detected from its characters, and its parts in order."""

    written: str
    script: str
    parts: tuple[Part, ...] = field(default_factory=tuple)


# Separators between parts. Dots and the Chinese middle dot and its look-alikes separate
# parts too, but a Chinese run is handed whole to `chinese.readings`, which splits it.
_TOKEN = re.compile(r"[^\s,;/()\[\]{}\"“”«»|+&:]+")
_DOTS = re.compile(r"[.·•・‧･∙⋅]+")


def _part(written: str, readings: list[str], uly: str) -> Part | None:
    readings = [r for r in dict.fromkeys(readings) if len(r) >= 2 and r not in STOPWORDS]
    if not readings:
        return None
    ks: list[str] = []
    ks.extend(sorted(keys(readings[0])))
    for r in readings[1:3]:
        k = "s:" + skeleton(r)
        if k not in ks and k != "s:":
            ks.append(k)
    return Part(written, readings[0], frozenset(ks[:MAX_KEYS]), tuple(readings), uly or readings[0])


def _from_uly(
    written: str, uly_text: str, extra: list[str] | None = None, alternative: str = ""
) -> Part | None:
    folded = latin.fold_uly(uly_text)
    if folded in STOPWORDS:
        return None
    root = strip_affixes(folded)
    uly_root = strip_affixes(uly_text) if root != folded else uly_text
    readings = [*(extra or []), root]
    if alternative:
        readings.append(strip_affixes(alternative))
    part = _part(written, readings, uly_root if not extra else "")
    if part is not None and root != folded:
        part = dataclasses.replace(part, surname=True)
    return part


def _latin_token(tok: str, pinyin_first: bool) -> list[Part]:
    out = []
    for piece in _DOTS.split(tok):
        if not piece:
            continue
        pinyin = chinese.pinyin_readings(piece)
        uly = latin.uly(piece)
        # A J before a vowel is English/Turkish j, or German y (Jasin, Jusup): read both.
        alternative = latin.fold_uly("y" + uly[1:]) if uly[:1] == "j" else ""
        part = _from_uly(piece, uly, pinyin if pinyin else None, alternative)
        if part is not None:
            out.append(part)
    return out


def _hani_token(tok: str) -> list[Part]:
    out = []
    for readings in chinese.readings(tok):
        part = _part(tok, [strip_affixes(r) for r in readings], "")
        if part is not None:
            out.append(part)
    return out


def _token_parts(tok: str, pinyin_first: bool) -> list[Part]:
    script = detect_script(tok)
    if script == HANI:
        return _hani_token(tok)
    if script == ARAB:
        return [p for piece in _DOTS.split(tok) if (p := _from_uly(piece, uyghur.to_uly(piece)))]
    if script == CYRL:
        return [p for piece in _DOTS.split(tok) if (p := _from_uly(piece, cyrillic.uly(piece)))]
    if script == LATN:
        return _latin_token(tok, pinyin_first)
    return []


def parse(text: str, script: str = "") -> Name:
    """A written name parsed into parts; script is a hint (form code or ISO 15924 code).

    The script is detected from the characters, each word on its own (a name may mix
    scripts); the hint only breaks ties. Parts keep their written order; a patronymic
    suffix is stripped into its root (Serikuly -> serik), a lone "uly"/"bin" dropped.
    """
    text = text or ""
    pinyin_first = (script or "").strip().lower() == "pinyin"
    detected = detect_script(text, hint(script))
    parts: list[Part] = []
    tokens = [t for t in _TOKEN.findall(text) if any(char_script(ch) for ch in t)]
    mixed_case = any(not t.isupper() for t in tokens)
    for tok in tokens:
        found = _token_parts(tok, pinyin_first)
        if mixed_case and tok.isupper() and len(tok) > 1:
            found = [dataclasses.replace(p, surname=True) for p in found]
        parts.extend(found)
    if len(parts) == 1:
        parts = _split_joined(parts[0])
    return Name(text, detected, tuple(parts))


@functools.cache
def _whole_names() -> frozenset[str]:
    """Folded readings of whole names (not prefixes or syllables) in the Chinese table."""
    return frozenset(r for row in chinese.rows() if row.kind == "whole" for r in row.readings)


def _split_joined(part: Part) -> list[Part]:
    """A name written in one piece (maimaitituerxun, 买买提吐尔逊 read as one) cut into two
    known whole names when one of its readings is exactly two of them."""
    known = _whole_names()
    for reading in part.readings[:3]:
        for i in range(3, len(reading) - 2):
            head, tail = reading[:i], reading[i:]
            if head in known and tail in known:
                pieces = [_part(part.written, [head], ""), _part(part.written, [tail], "")]
                return [p for p in pieces if p is not None]
    return [part]
