"""Whole persons compared: every name they are known by, father's name, birth year, county.

    a = identity(names=[("买买提·吐尔逊", "hani"), ("Memet Tursun", "latin")],
                 father="Tursun Ablimit", birth_year=1978, county="Ghulja")
    compare(a, b) -> Match(score=0..100, reasons=("same_given_name", "birth_year_same", ...))

Reasons are codes (the web side turns them into translated words):
same_given_name, same_father_name, same_full_name, name_order_differs,
birth_year_same, birth_year_near, birth_year_differs, county_same, scripts:<A>:<B>.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .core import Name, Part, parse
from .scoring import Memo, align, crossed, part_similarity

# A part similarity at or above this counts as "the same" for the reasons.
SAME = 85.0

# Adjustments to the name score (points out of 100).
FATHER_SAME = 6.0
FATHER_DIFFERS = -10.0
FATHER_DIFFERS_BELOW = 60.0
YEAR_SAME = 4.0
YEAR_NEAR = 1.0
YEAR_DIFFERS_PER_YEAR = -5.0
YEAR_DIFFERS_MAX = -20.0
COUNTY_SAME = 3.0


@dataclass(frozen=True, repr=False)
class Identity:
    """What is known of a person: every name (of every linked report), father, year, county."""

    names: tuple[Name, ...]
    father: Name | None = None
    birth_year: int | None = None
    county: Name | None = None

    def __repr__(self) -> str:
        # Nothing of the person in logs or tracebacks: only which fields are known.
        known = [f for f in ("father", "birth_year", "county") if getattr(self, f) is not None]
        return f"Identity(names={len(self.names)}, known={known})"


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...]


def _name_or_none(text: str) -> Name | None:
    name = parse(text) if text and text.strip() else None
    return name if name is not None and name.parts else None


def identity(
    names: Iterable[tuple[str, str] | str] = (),
    father: str = "",
    birth_year: int | None = None,
    county: str = "",
) -> Identity:
    """An Identity from written names ((text, script hint) pairs, or bare texts)."""
    parsed = []
    for entry in names:
        text, script = (entry, "") if isinstance(entry, str) else entry
        name = parse(text, script)
        if name.parts:
            parsed.append(name)
    return Identity(tuple(parsed), _name_or_none(father), birth_year, _name_or_none(county))


def _given_index(name: Name) -> int:
    """The given name's part: the first not marked as a surname (TURSUNOV Mamat, Tursunov
    Mamat: the second)."""
    return next((i for i, p in enumerate(name.parts) if not p.surname), 0)


@dataclass(frozen=True)
class _Pair:
    score: float
    a: Name
    b: Name
    a_parts: tuple[Part, ...]
    b_parts: tuple[Part, ...]
    pairs: tuple[tuple[int, int, float], ...]


def _best_pair(a: Identity, b: Identity, memo: Memo) -> _Pair | None:
    """The best-scoring pair of names. A father's given name may stand as the other side's
    surname (Uyghurs abroad take it as one), so each name is also tried with it appended."""
    fa = a.father.parts[:1] if a.father else ()
    fb = b.father.parts[:1] if b.father else ()
    best: _Pair | None = None
    for na in a.names:
        for nb in b.names:
            tries = [(na.parts, nb.parts)]
            if fa:
                tries.append((na.parts + fa, nb.parts))
            if fb:
                tries.append((na.parts, nb.parts + fb))
            for pa, pb in tries:
                s, pairs = align(pa, pb, memo)
                if best is None or s > best.score + 1e-9:
                    best = _Pair(s, na, nb, pa, pb, pairs)
    return best


def _father_similarity(a: Identity, b: Identity, pair: _Pair, memo: Memo) -> float | None:
    if a.father and b.father:
        return align(a.father.parts, b.father.parts, memo)[0]
    # One side's father against the other's surname parts (not its given name).
    for father, other in ((a.father, pair.b), (b.father, pair.a)):
        if father and len(other.parts) > 1:
            gi = _given_index(other)
            rest = [p for i, p in enumerate(other.parts) if i != gi]
            return max(part_similarity(father.parts[0], p, memo) for p in rest)
    return None


def compare(a: Identity, b: Identity) -> Match:
    """How likely a and b are one person, 0..100, and why (reason codes)."""
    memo = Memo()  # this call's only: see scoring.Memo
    pair = _best_pair(a, b, memo)
    if pair is None:
        return Match(0.0, ())
    total = pair.score
    reasons: list[str] = []
    ga, gb = _given_index(pair.a), _given_index(pair.b)
    if any(i == ga and j == gb and s >= SAME for i, j, s in pair.pairs):
        reasons.append("same_given_name")
    if len(pair.a_parts) == len(pair.b_parts) and all(s >= SAME for _, _, s in pair.pairs):
        reasons.append("same_full_name")
    if crossed(pair.a_parts, pair.b_parts, pair.pairs):
        reasons.append("name_order_differs")

    fs = _father_similarity(a, b, pair, memo)
    if fs is not None and fs >= SAME:
        total += FATHER_SAME
        reasons.append("same_father_name")
    elif fs is not None and a.father and b.father and fs < FATHER_DIFFERS_BELOW:
        total += FATHER_DIFFERS

    if a.birth_year and b.birth_year:
        diff = abs(a.birth_year - b.birth_year)
        if diff == 0:
            total += YEAR_SAME
            reasons.append("birth_year_same")
        elif diff == 1:
            total += YEAR_NEAR
            reasons.append("birth_year_near")
        else:
            total += max(YEAR_DIFFERS_MAX, YEAR_DIFFERS_PER_YEAR * (diff - 1))
            reasons.append("birth_year_differs")

    if a.county and b.county and align(a.county.parts, b.county.parts, memo)[0] >= SAME:
        total += COUNTY_SAME
        reasons.append("county_same")

    if pair.a.script and pair.b.script and pair.a.script != pair.b.script:
        reasons.append(f"scripts:{pair.a.script}:{pair.b.script}")
    return Match(round(max(0.0, min(100.0, total)), 1), tuple(reasons))
