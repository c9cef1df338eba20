"""Candidate persons for a report: gather by shared buckets, then score.

The database does the gathering in one query over its table of (person_id, bucket) rows;
`rank` is that query's rule, and `MemoryIndex` does the same in memory (tests, benches):

    WITH q(bucket, weight) AS (VALUES (%s, %s), ...),
         usable AS (SELECT bucket, weight FROM q
                     WHERE (SELECT count(*) FROM (SELECT 1 FROM person_bucket b
                             WHERE b.bucket = q.bucket AND b.version = %s
                             LIMIT CAP + 1) AS n) <= CAP)
    SELECT b.person_id, SUM(u.weight) AS shared
      FROM usable u JOIN person_bucket b ON b.bucket = u.bucket AND b.version = %s
     GROUP BY b.person_id
     ORDER BY shared DESC, b.person_id
     LIMIT 100

where the VALUES list is `buckets.weights(index_key, identity)` (bucket, weight) of the new
report: a shared name-pair bucket weighs 3, a name pair with the birth year 4, with the
county 3, every other shared bucket 1. A bucket on more than CAP persons (a common given
name, a birth year) is not gathered on: it would make the lookup read a large share of
the table and rank nobody higher. A report whose buckets are all that common (a single
common name, nothing else) gets no candidates. The gathered persons are then scored with
`matching.compare`, which reads the whole identity, common names included, and the best
`limit` returned.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from . import buckets
from .matching import Identity, compare

# How many persons the bucket query gathers before scoring.
GATHER = 100

# A bucket on more persons than this is not gathered on. It bounds what a lookup reads
# (the report's buckets times CAP index entries) whatever the table's size; chosen by
# measurement (docs/DUPLICATES.md, "Benchmark").
CAP = 1000

K = TypeVar("K", int, str)


def rank(shared: dict[K, int], limit: int = GATHER) -> list[K]:
    """Person ids by summed weight of shared buckets, highest first, ties by id; at most limit."""
    # Ids of one type compare as themselves; mixed ids (name_match takes strings and
    # integers) by their type first, never compared across types.
    ordered = sorted(shared.items(), key=lambda kv: (-kv[1], type(kv[0]).__name__, kv[0]))
    return [pid for pid, weight in ordered[:limit] if weight > 0]


class MemoryIndex:
    """An in-memory bucket index with the database's gathering rule."""

    def __init__(self, index_key: bytes, cap: int | None = None) -> None:
        self.index_key = index_key
        self.cap = CAP if cap is None else cap
        self._identities: dict[int | str, Identity] = {}
        self._persons: dict[bytes, set[int | str]] = defaultdict(set)

    def add(self, pid: int | str, identity: Identity) -> None:
        self._identities[pid] = identity
        for b in buckets.of(self.index_key, identity):
            self._persons[b].add(pid)

    def shared(self, identity: Identity) -> dict[int | str, int]:
        """Each person sharing a bucket with identity, and the summed weight shared."""
        out: dict[int | str, int] = defaultdict(int)
        for b, weight in buckets.weights(self.index_key, identity).items():
            persons = self._persons.get(b, ())
            if len(persons) > self.cap:
                continue  # too common to gather on, as in the database
            for pid in persons:
                out[pid] += weight
        return dict(out)

    def candidates(self, identity: Identity, limit: int = 10) -> list[tuple[int | str, float]]:
        """The best `limit` persons for identity, (id, score) best first."""
        gathered = rank(self.shared(identity))  # type: ignore[type-var]
        scored = [(pid, compare(identity, self._identities[pid]).score) for pid in gathered]
        scored.sort(key=lambda kv: -kv[1])  # stable: ties keep the gathering order
        return scored[:limit]
