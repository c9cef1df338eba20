"""Names the Chinese table knows, as a lexicon to cut one-piece names against.

`names.chinese` reads names; its table (whole names, prefixes such as Abdu-, suffixes such
as -jan) also says which Latin forms and which pinyin are names at all. A name written in
one piece (maimaititursun, 买买提吐尔逊) is cut where both pieces are near such names.
"""

from __future__ import annotations

import functools

from rapidfuzz import fuzz, process

from . import chinese
from .keys import skeleton, vowel_key


def _composed() -> list[tuple[str, str]]:
    """(joined pinyin, folded reading) of every whole name, prefix + name, name + suffix."""
    rows = chinese.rows()
    whole = [r for r in rows if r.kind == "whole" and r.readings]
    prefixes = [r for r in rows if r.kind == "prefix" and r.readings]
    suffixes = [r for r in rows if r.kind == "suffix" and r.readings]
    out = [("".join(w.pinyin), w.readings[0]) for w in whole]
    out += [
        ("".join(p.pinyin + w.pinyin), p.readings[0] + w.readings[0])
        for p in prefixes
        for w in whole
    ]
    out += [
        ("".join(w.pinyin + x.pinyin), w.readings[0] + x.readings[0])
        for w in whole
        for x in suffixes
    ]
    return out


@functools.cache
def known_names() -> tuple[list[str], list[str], list[str]]:
    """Names the Chinese table knows, folded (whole names, prefix + name, name + suffix),
    with their vowel keys and skeletons: the lexicon a one-piece name is cut against."""
    rows = chinese.rows()
    names = {r for row in rows if row.kind == "whole" for r in row.readings}
    names.update(reading for _, reading in _composed())
    ordered = sorted(names)
    return ordered, [vowel_key(n) for n in ordered], [skeleton(n) for n in ordered]


@functools.lru_cache(maxsize=4096)
def closeness(piece: str) -> float:
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


@functools.cache
def _pinyin() -> tuple[list[str], list[str]]:
    pairs = dict(_composed())  # the first reading of each joined pinyin
    return list(pairs), list(pairs.values())


@functools.lru_cache(maxsize=4096)
def pinyin_guess(piece: str) -> tuple[float, str]:
    """How near piece (plain a-z) is to the pinyin of a known name, and that name's reading."""
    spellings, readings = _pinyin()
    found = process.extractOne(piece, spellings, scorer=fuzz.ratio)
    if found is None:
        return 0.0, ""
    return float(found[1]), readings[found[2]]
