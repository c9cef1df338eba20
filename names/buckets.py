"""Blind-index buckets of a person: what triage looks up instead of names.

Each bucket is crypto.blind_index(index_key, value, domain, BUCKET_BYTES), the domain
"names:v<VERSION>:<kind>" naming the kind of value:

    name-part    each phonetic key of each part of every name, and of the father's given
                 name (the first part of the father's name): Uyghurs abroad and Kazakh
                 passports use it as the surname, so it belongs to the person's full name
    name-pair    each unordered pair of same-kind keys of two parts of one such full name,
                 and each part's first letter (of its vowel-class key) with another part's
                 skeleton, so that a slip of the pen in one part still meets the other
                 (Ilhkam Tursunov and Ilham Tursun share "i:i|s:trsn")
    birth-year   the birth year
    county       each key of each part of the county
    pair-year    each name-pair with the birth year, and pair-county each name-pair with
                 the county's folded spelling, when both are known: a name pair is shared
                 by many namesakes, its year or county is what tells them apart, and these
                 buckets are rare enough to gather on where the name pair alone is not

Nothing else is bucketed. Buckets are truncated to BUCKET_BYTES so that they are shared by
chance too: a shared bucket suggests, it never proves, a shared value.
"""

from __future__ import annotations

import itertools

from crypto import blind_index

from . import VERSION
from .core import Part
from .matching import Identity

BUCKET_BYTES = 3

# How much a shared bucket of each kind counts when gathering candidates (names.search).
WEIGHTS = {
    "name-part": 1,
    "name-pair": 3,
    "birth-year": 1,
    "county": 1,
    "pair-year": 4,
    "pair-county": 3,
}


def domain(kind: str) -> str:
    return f"names:v{VERSION}:{kind}"


def _pairs(parts: tuple[Part, ...]) -> set[str]:
    out = set()
    for p, q in itertools.combinations(parts, 2):
        for kp in p.keys:
            for kq in q.keys:
                if kp[:2] == kq[:2] and kp != kq:
                    out.add("|".join(sorted((kp, kq))))
    # One part's first letter with the other's skeleton: found again when the other part
    # has a slip of the pen (Ilhkam Tursunov, Mmet Kerem).
    for p, q in itertools.permutations(parts, 2):
        for kp in p.keys:
            for kq in q.keys:
                if kp.startswith("v:") and kq.startswith("s:") and len(kp) > 2:
                    out.add(f"i:{kp[2]}|{kq}")
    return out


def values(identity: Identity) -> set[tuple[str, str]]:
    """The (kind, value) pairs bucketed for a person; plaintext, never stored."""
    out: set[tuple[str, str]] = set()
    father = identity.father.parts[:1] if identity.father else ()
    pairs: set[str] = set()
    for name in identity.names:
        for part in name.parts + father:
            out.update(("name-part", k) for k in part.keys)
        pairs.update(_pairs(name.parts + father))
    out.update(("name-pair", v) for v in pairs)
    if identity.birth_year:
        out.add(("birth-year", str(identity.birth_year)))
        out.update(("pair-year", f"{v}@{identity.birth_year}") for v in pairs)
    if identity.county:
        for part in identity.county.parts:
            out.update(("county", k) for k in part.keys)
        county = " ".join(p.folded for p in identity.county.parts if p.folded)
        if county:
            out.update(("pair-county", f"{v}@{county}") for v in pairs)
    return out


def weights(index_key: bytes, identity: Identity) -> dict[bytes, int]:
    """Each bucket of identity with its weight (a bucket of two kinds counts the higher)."""
    out: dict[bytes, int] = {}
    for kind, value in sorted(values(identity)):
        b = blind_index(index_key, value, domain(kind), BUCKET_BYTES)
        out[b] = max(out.get(b, 0), WEIGHTS[kind])
    return out


def of(index_key: bytes, identity: Identity) -> frozenset[bytes]:
    """Every bucket of a person or report, to be stored (one row per bucket)."""
    return frozenset(weights(index_key, identity))


def query(index_key: bytes, identity: Identity) -> frozenset[bytes]:
    """The buckets to look up for a new report: the same as it would store."""
    return of(index_key, identity)
