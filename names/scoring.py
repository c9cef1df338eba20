"""How alike two parsed names are: part by part, parts matched in any order.

Part similarity is rapidfuzz's ratio over the folded readings, their vowel-class keys and
their consonant skeletons; the name score is the best assignment of parts, a little lower
when the parts are matched out of order (Memet Tursun and Tursun Memet are usually two
people: the given name and the father's name swapped) and for each part left over.
"""

from __future__ import annotations

import itertools

from rapidfuzz import fuzz

from .core import Name, Part
from .keys import skeleton_and_vowel_key

# Parts beyond this are ignored in scoring (the assignment tries every order).
MAX_PARTS = 6
# Each part of the longer name that has no counterpart lowers the score by this factor:
# "Memet" against "Memet Tursun" is likely, not certain.
EXTRA_PART_FACTOR = 0.9
# Parts matched out of their order (given name against father's name) lower it by this.
ORDER_FACTOR = 0.88
# Weights of the vowel-key and skeleton similarities against the plain folded one.
VOWEL_WEIGHT = 0.95
SKELETON_WEIGHT = 0.8

Pairs = tuple[tuple[int, int, float], ...]


class Memo:
    """Readings' keys and similarities worked out within one comparison, reused by the rest
    of it. Made per call and dropped with it: names must not outlive the request holding
    them, so nothing here is kept at module level."""

    __slots__ = ("keys", "sims")

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str]] = {}
        self.sims: dict[tuple[str, str], float] = {}

    def similarity(self, a: str, b: str) -> float:
        if a == b:
            return 100.0
        found = self.sims.get((a, b))
        if found is not None:
            return found
        ka = self.keys.get(a) or self.keys.setdefault(a, skeleton_and_vowel_key(a))
        kb = self.keys.get(b) or self.keys.setdefault(b, skeleton_and_vowel_key(b))
        value = max(
            fuzz.ratio(a, b),
            fuzz.ratio(ka[1], kb[1]) * VOWEL_WEIGHT,
            fuzz.ratio(ka[0], kb[0]) * SKELETON_WEIGHT,
        )
        self.sims[(a, b)] = value
        return value


def part_similarity(a: Part, b: Part, memo: Memo | None = None) -> float:
    """0..100: the best similarity between any readings of two parts."""
    memo = memo or Memo()
    best = 0.0
    for ra in a.readings[:3] or (a.folded,):
        for rb in b.readings[:3] or (b.folded,):
            best = max(best, memo.similarity(ra, rb))
            if best == 100.0:
                return best
    return best


def _canonical(parts: tuple[Part, ...]) -> list[int]:
    """Each part's position with surname-marked parts moved last (TURSUNOV Mamat)."""
    order = [i for i, p in enumerate(parts) if not p.surname] + [
        i for i, p in enumerate(parts) if p.surname
    ]
    return [order.index(i) for i in range(len(parts))]


def _crosses(pairs: list[tuple[int, int]], pos_a: list[int], pos_b: list[int]) -> bool:
    return any(
        (pos_a[i1] - pos_a[i2]) * (pos_b[j1] - pos_b[j2]) < 0
        for (i1, j1), (i2, j2) in itertools.combinations(pairs, 2)
    )


def align(
    a: tuple[Part, ...], b: tuple[Part, ...], memo: Memo | None = None
) -> tuple[float, Pairs]:
    """The best assignment of parts: (score, ((i, j, similarity), ...)), i in a, j in b.

    Tries every assignment of the shorter name's parts to the longer's (names have few
    parts); the score is the mean similarity of the assigned pairs, lowered by
    ORDER_FACTOR when they cross (surname-marked parts count as last) and by
    EXTRA_PART_FACTOR for each part left over.
    """
    a, b = a[:MAX_PARTS], b[:MAX_PARTS]
    if not a or not b:
        return 0.0, ()
    swap = len(a) > len(b)
    short, long_ = (b, a) if swap else (a, b)
    pos_s, pos_l = _canonical(short), _canonical(long_)
    memo = memo or Memo()
    sims = [[part_similarity(p, q, memo) for q in long_] for p in short]
    best, best_perm = -1.0, tuple(range(len(short)))
    for perm in itertools.permutations(range(len(long_)), len(short)):
        value = sum(sims[i][j] for i, j in enumerate(perm)) / len(short)
        if len(short) > 1 and _crosses(list(enumerate(perm)), pos_s, pos_l):
            value *= ORDER_FACTOR
        if value > best + 1e-9:
            best, best_perm = value, perm
    pairs = tuple(
        ((j, i, sims[i][j]) if swap else (i, j, sims[i][j])) for i, j in enumerate(best_perm)
    )
    return best * EXTRA_PART_FACTOR ** (len(long_) - len(short)), tuple(sorted(pairs))


def crossed(a: tuple[Part, ...], b: tuple[Part, ...], pairs: Pairs) -> bool:
    """Whether an assignment matches parts out of their order (surname-marked parts last)."""
    return _crosses([(i, j) for i, j, _ in pairs], _canonical(a), _canonical(b))


def score(a: Name, b: Name) -> float:
    """How alike two names are, 0..100 (see `align`)."""
    return round(align(a.parts, b.parts)[0], 1)
