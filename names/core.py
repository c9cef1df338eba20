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

from rapidfuzz import fuzz, process

from . import chinese, cyrillic, latin, uyghur
from .keys import STOPWORDS, keys, skeleton, strip_affixes, vowel_key
from .scripts import ARAB, CYRL, HANI, LATN, char_script, detect_script, hint

# A part has at most this many keys (each one a blind-index bucket).
MAX_KEYS = 3
# Longer input is not a name: only this much of it is read, into at most so many parts
# (bounding the work and the buckets a pasted paragraph could make).
MAX_TEXT = 200
MAX_NAME_PARTS = 8
# Only a one-piece name up to this long is tried for a cut into two names.
MAX_JOINED = 32


@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        # A name must not reach a log or a traceback through a repr: only its shape.
        return f"Part(<{len(self.folded)} letters>, keys={len(self.keys)})"


@dataclass(frozen=True, repr=False)
class Name:
    """A name as written, the script detected from its characters, and its parts in order."""

    written: str
    script: str
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return f"Name(script={self.script!r}, parts={len(self.parts)})"


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
    # Whatever a converter let through (digits, marks) is not part of a name.
    uly_text = re.sub(r"[^a-zöüé]", "", uly_text.lower())
    folded = latin.fold_uly(uly_text)
    if folded in STOPWORDS:
        return None
    root = strip_affixes(folded)
    uly_root = strip_affixes(uly_text) if root != folded else uly_text
    readings = [*(extra or []), root]
    if alternative:
        readings.append(strip_affixes(alternative))
    part = _part(written, readings, uly_root if not extra else "")
    if part is not None and root != folded and not extra:
        part = dataclasses.replace(part, surname=True)
    return part


def _latin_token(tok: str) -> list[Part]:
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


def _token_parts(tok: str, hint_script: str) -> list[Part]:
    script = detect_script(tok, hint_script)
    if script == HANI:
        return _hani_token(tok)
    if script == ARAB:
        return [p for piece in _DOTS.split(tok) if (p := _from_uly(piece, uyghur.to_uly(piece)))]
    if script == CYRL:
        return [p for piece in _DOTS.split(tok) if (p := _from_uly(piece, cyrillic.uly(piece)))]
    if script == LATN:
        return _latin_token(tok)
    return []


def parse(text: str, script: str = "") -> Name:
    """A written name parsed into parts; script is a hint (form code or ISO 15924 code).

    The script is detected from the characters, each word on its own (a name may mix
    scripts); the hint only breaks ties. Latin words are read as pinyin when
    `names.chinese` recognises them as pinyin of names, whatever the hint. Parts keep
    their written order; a patronymic suffix is stripped into its root (Serikuly ->
    serik), a lone "uly"/"bin" dropped.
    """
    text = (text or "")[:MAX_TEXT]
    hint_script = hint(script)
    detected = detect_script(text, hint_script)
    parts: list[Part] = []
    tokens = [t for t in _TOKEN.findall(text) if any(char_script(ch) for ch in t)]
    mixed_case = any(not t.isupper() for t in tokens)
    for tok in tokens:
        found = _token_parts(tok, hint_script)
        if mixed_case and tok.isupper() and len(tok) > 1:
            found = [dataclasses.replace(p, surname=True) for p in found]
        parts.extend(found)
    if len(parts) == 1 and len(tokens) == 1 and len(tokens[0]) <= MAX_JOINED:
        parts = _split_joined(tokens[0], parts[0])
    return Name(text, detected, tuple(parts[:MAX_NAME_PARTS]))


@functools.cache
def known_names() -> tuple[list[str], list[str], list[str]]:
    """Names the Chinese table knows, folded (whole names, prefix + name, name + suffix),
    with their vowel keys and skeletons: the lexicon a one-piece name is cut against."""
    rows = chinese.rows()
    whole = {r for row in rows if row.kind == "whole" for r in row.readings}
    prefixes = {r for row in rows if row.kind == "prefix" for r in row.readings}
    suffixes = {r for row in rows if row.kind == "suffix" for r in row.readings}
    names = set(whole)
    names.update(p + w for p in prefixes for w in whole)
    names.update(w + x for w in whole for x in suffixes)
    ordered = sorted(names)
    return ordered, [vowel_key(n) for n in ordered], [skeleton(n) for n in ordered]


@functools.lru_cache(maxsize=4096)
def _closeness(piece: str) -> float:
    """How near piece is to a known name, 0..100 (as `scoring` compares readings)."""
    names, vowels, skeletons = known_names()
    best = 0.0
    for query, choices, weight in (
        (piece, names, 1.0),
        (vowel_key(piece), vowels, 0.95),
        (skeleton(piece), skeletons, 0.8),
    ):
        found = process.extractOne(query, choices, scorer=fuzz.ratio)
        if found is not None:
            best = max(best, found[1] * weight)
    return best


# A one-piece name is cut in two where the pieces are this near known names: on average
# for a cut between pinyin syllables, each for a cut anywhere in a reading.
PINYIN_SPLIT_CLOSENESS = 75.0
SPLIT_CLOSENESS = 85.0
_MIN_PIECE = 3


def _split_pinyin(token: str) -> list[Part] | None:
    """Joined pinyin (maimaitituerxun) cut between syllables into two readable names."""
    best, cut = PINYIN_SPLIT_CLOSENESS, None
    for i in range(2, len(token) - 1):
        head, tail = chinese.pinyin_readings(token[:i]), chinese.pinyin_readings(token[i:])
        if head and tail:
            near = (_closeness(head[0]) + _closeness(tail[0])) / 2
            if near > best:
                best, cut = near, i
    if cut is None:
        return None
    return _latin_token(token[:cut]) + _latin_token(token[cut:])


def _split_reading(part: Part) -> list[Part] | None:
    """A one-piece reading (买买提吐尔逊 read as one) cut where both pieces are known names."""
    best, cut = SPLIT_CLOSENESS, None
    for reading in part.readings[:3]:
        if len(reading) > MAX_JOINED:
            continue
        for i in range(_MIN_PIECE, len(reading) - _MIN_PIECE + 1):
            head, tail = reading[:i], reading[i:]
            near = min(_closeness(head), _closeness(tail))
            if near > best:
                best, cut = near, (head, tail)
    if cut is None:
        return None
    pieces = [_part(part.written, [cut[0]], ""), _part(part.written, [cut[1]], "")]
    return [p for p in pieces if p is not None]


def _split_joined(token: str, part: Part) -> list[Part]:
    """A name written in one piece, in Chinese characters or in pinyin, as a given and a
    father's name. Only then: a Latin name typed in one capitalised word (Muhemmetimin)
    is a compound name, not two."""
    if detect_script(token) == LATN:
        if token.istitle() and not chinese.pinyin_readings(token):
            return [part]
        split = _split_pinyin(token)
        if split:
            return split
    elif detect_script(token) != HANI:
        return [part]
    return _split_reading(part) or [part]
