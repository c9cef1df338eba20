"""Names the Chinese table knows, as a lexicon to cut one-piece names against.

`names.chinese` reads names; its table (whole names, prefixes such as Abdu-, suffixes such
as -jan) also says which Latin forms and which pinyin are names at all. A name written in
one piece (maimaititursun, 买买提吐尔逊) is cut where both pieces are near such names.
"""

from __future__ import annotations

import functools
import math

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


def _bounds(size: int, cutoff: float) -> tuple[float, float]:
    """The lengths a string may have to reach fuzz.ratio cutoff against one of size letters
    (the ratio is at most 200 * shorter / (both lengths))."""
    if cutoff <= 0:
        return 0.0, float("inf")
    return size * cutoff / (200 - cutoff), size * (200 - cutoff) / cutoff


@functools.lru_cache(maxsize=1024)
def _of_length(which: int, size: int, cutoff: float) -> list[str]:
    """The known names (which=0), vowel keys (1), skeletons (2) or pinyin (3) long enough
    and short enough to reach cutoff against a query of size letters: the look-up is
    spared every other one."""
    choices = _pinyin()[0] if which == 3 else known_names()[which]
    low, high = _bounds(size, cutoff)
    return [c for c in dict.fromkeys(choices) if low <= len(c) <= high]


# Below this cutoff the letters rule out too few strings to pay for the counting.
_LETTERS_FROM = 70.0


class _Letters:
    """One list of the table's strings indexed by their letters, to skip the strings a
    query cannot reach cutoff against before rapidfuzz compares any.

    fuzz.ratio is 200 * LCS / (both lengths), and the LCS is at most the letters the two
    have in common (counted with repeats): a string of length L needs at least
    cutoff * (query length + L) / 200 of the query's letters. Each (letter, k) has the
    bit set of strings holding at least k of that letter; the query's letters missing
    from each string are counted on these bit sets (a saturating counter of big ints).
    """

    def __init__(self, choices: list[str]) -> None:
        self.choices = choices
        self.every = (1 << len(choices)) - 1
        self.by_length: dict[int, int] = {}
        self.holding: dict[tuple[str, int], int] = {}
        for i, choice in enumerate(choices):
            bit = 1 << i
            self.by_length[len(choice)] = self.by_length.get(len(choice), 0) | bit
            for letter in set(choice):
                for k in range(1, choice.count(letter) + 1):
                    self.holding[(letter, k)] = self.holding.get((letter, k), 0) | bit

    def reachable(self, query: str, cutoff: float) -> list[str] | None:
        """The choices, in their order, that may reach cutoff against query (every one that
        does is among them); None when the letters rule out too few to be worth it."""
        size = len(query)
        if cutoff < _LETTERS_FROM or not size:
            return None
        low, high = _bounds(size, cutoff)
        # Misses allowed per length (a margin of 1e-6 keeps rounding on the safe side).
        allowed = {
            n: size - math.ceil(cutoff * (size + n) / 200 - 1e-6)
            for n in self.by_length
            if low <= n <= high
        }
        allowed = {n: m for n, m in allowed.items() if m >= 0}
        if not allowed:
            return []
        most = max(allowed.values())
        # at_least[j]: the choices missing at least j of the query's letters.
        at_least = [self.every] + [0] * (most + 1)
        seen: dict[str, int] = {}
        for letter in query:
            seen[letter] = k = seen.get(letter, 0) + 1
            miss = self.every & ~self.holding.get((letter, k), 0)
            for j in range(most + 1, 0, -1):
                at_least[j] |= at_least[j - 1] & miss
        found = 0
        for n, m in allowed.items():
            found |= self.by_length[n] & ~at_least[m + 1]
        if found.bit_count() * 8 > len(self.choices):
            return None
        bits = format(found, "b")[::-1]
        out = []
        i = bits.find("1")
        while i >= 0:
            out.append(self.choices[i])
            i = bits.find("1", i + 1)
        return out


@functools.cache
def _letters(which: int) -> _Letters:
    choices = _pinyin()[0] if which == 3 else known_names()[which]
    return _Letters(list(dict.fromkeys(choices)))


def _choices(which: int, query: str, cutoff: float) -> list[str]:
    """What _of_length gives, less strings the letters show cannot reach cutoff."""
    reachable = _letters(which).reachable(query, cutoff)
    return _of_length(which, len(query), cutoff) if reachable is None else reachable


def _extract(which: int, query: str, cutoff: float) -> tuple[str, float] | None:
    """The first best string of list which (in its order) against query, and its ratio;
    None when none reaches cutoff. Below _LETTERS_FROM the strings that reach it are
    looked for first (few, and cheap to find): when one does, it is the answer, as every
    string at or above it is among them."""
    if cutoff < _LETTERS_FROM:
        near = _letters(which).reachable(query, _LETTERS_FROM)
        if near is not None:
            found = process.extractOne(query, near, scorer=fuzz.ratio, score_cutoff=_LETTERS_FROM)
            if found is not None:
                return found[0], found[1]
    found = process.extractOne(
        query, _choices(which, query, cutoff), scorer=fuzz.ratio, score_cutoff=cutoff
    )
    return None if found is None else (found[0], found[1])


def closeness(piece: str, floor: float = 0.0) -> float:
    """How near piece is to a known name, 0..100 (as `scoring` compares readings).

    Exact when above floor; at or below it, some value no higher than floor: a caller
    that only needs to know whether a piece beats floor spares the look-ups that cannot.
    """
    best = 0.0
    for which, query, weight in (
        (0, piece, 1.0),
        (1, vowel_key(piece), 0.95),
        (2, skeleton(piece), 0.8),
    ):
        if weight * 100 <= floor:
            continue
        cutoff = floor / weight
        found = _extract(which, query, cutoff)
        if found is not None:
            best = max(best, found[1] * weight)
    return best


@functools.cache
def _pinyin() -> tuple[list[str], list[str]]:
    pairs = dict(_composed())  # the first reading of each joined pinyin
    return list(pairs), list(pairs.values())


@functools.cache
def _pinyin_reading() -> dict[str, str]:
    return dict(zip(*_pinyin(), strict=True))


def pinyin_guess(piece: str, floor: float = 0.0) -> tuple[float, str]:
    """How near piece (plain a-z) is to the pinyin of a known name, and that name's reading;
    (0.0, "") when not above floor."""
    found = _extract(3, piece, floor)
    if found is None or found[1] <= floor:
        return 0.0, ""
    return float(found[1]), _pinyin_reading()[found[0]]
