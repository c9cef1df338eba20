"""Names parsed into parts, and compared part by part.

    parse("买买提·吐尔逊")   -> Name(script="Hani", parts=(Part(folded="memet", ...),
                                                      Part(folded="tursun", ...)))
    parse("Мамат Турсунов")  -> parts "mamat", "tursun" (-ов stripped)
    score(a, b)              -> 0..100, best assignment of parts in any order

Every script is first turned into one plain a-z folded form per part (`names.latin`,
`names.cyrillic`, `names.uyghur`, `names.chinese`), then keyed (`names.keys`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import chinese, cyrillic, latin, uyghur
from .keys import STOPWORDS, keys, skeleton, strip_affixes, vowel_key
from .scripts import ARAB, CYRL, HANI, LATN, char_script, detect_script, hint

# A part has at most this many keys (each one a blind-index bucket).
MAX_KEYS = 4
# Parts beyond this are ignored in scoring (the assignment tries every order).
MAX_PARTS = 6


@dataclass(frozen=True)
class Part:
    """One name part: as written, folded to plain a-z, and its phonetic keys.

    readings holds every folded reading considered (the first is `folded`): a part in
    Chinese characters or pinyin can be read several ways. uly is the part in Uyghur Latin
    with its diacritics when the script tells them (for `variants`), else the folded form.
    """

    written: str
    folded: str
    keys: frozenset[str]
    readings: tuple[str, ...] = ()
    uly: str = ""


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


def _from_uly(written: str, uly_text: str, extra: list[str] | None = None) -> Part | None:
    folded = latin.fold_uly(uly_text)
    if folded in STOPWORDS:
        return None
    root = strip_affixes(folded)
    uly_root = strip_affixes(uly_text) if root != folded else uly_text
    readings = (extra or []) + [root]
    return _part(written, readings, uly_root if not extra else "")


def _latin_token(tok: str, pinyin_first: bool) -> list[Part]:
    out = []
    for piece in _DOTS.split(tok):
        if not piece:
            continue
        pinyin = chinese.pinyin_readings(piece)
        part = _from_uly(piece, latin.uly(piece), pinyin if pinyin else None)
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
    for tok in _TOKEN.findall(text):
        if not any(char_script(ch) for ch in tok):
            continue
        parts.extend(_token_parts(tok, pinyin_first))
    return Name(text, detected, tuple(parts))


def _reading_similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    return max(
        fuzz.ratio(a, b),
        fuzz.ratio(vowel_key(a), vowel_key(b)) * 0.95,
        fuzz.ratio(skeleton(a), skeleton(b)) * 0.8,
    )


def part_similarity(a: Part, b: Part) -> float:
    """0..100: the best similarity between any readings of two parts."""
    best = 0.0
    for ra in a.readings[:3] or (a.folded,):
        for rb in b.readings[:3] or (b.folded,):
            best = max(best, _reading_similarity(ra, rb))
            if best == 100.0:
                return best
    return best


# Each part of the longer name that has no counterpart lowers the score by this factor:
# "Memet" against "Memet Tursun" is likely, not certain.
EXTRA_PART_FACTOR = 0.9


def align(
    a: tuple[Part, ...], b: tuple[Part, ...]
) -> tuple[float, tuple[tuple[int, int, float], ...]]:
    """The best assignment of parts in any order: (score, ((i, j, similarity), ...)).

    Tries every assignment of the shorter name's parts to the longer's (names have few
    parts); the score is the mean similarity of the assigned pairs, lowered for each part
    left over.
    """
    a, b = a[:MAX_PARTS], b[:MAX_PARTS]
    if not a or not b:
        return 0.0, ()
    swap = len(a) > len(b)
    short, long_ = (b, a) if swap else (a, b)
    sims = [[part_similarity(p, q) for q in long_] for p in short]
    best_total, best_perm = -1.0, tuple(range(len(short)))
    for perm in itertools.permutations(range(len(long_)), len(short)):
        total = sum(sims[i][j] for i, j in enumerate(perm))
        if total > best_total:
            best_total, best_perm = total, perm
    pairs = tuple(
        ((j, i, sims[i][j]) if swap else (i, j, sims[i][j])) for i, j in enumerate(best_perm)
    )
    mean = best_total / len(short)
    return mean * EXTRA_PART_FACTOR ** (len(long_) - len(short)), tuple(sorted(pairs))


def score(a: Name, b: Name) -> float:
    """How alike two names are, 0..100, parts matched in any order."""
    return round(align(a.parts, b.parts)[0], 1)
