"""Candidate persons for a report: gather by shared buckets, then score.

The database does the gathering in one query over its table of (person_id, bucket) rows;
`rank` is that query's rule, and `MemoryIndex` does the same in memory (tests, benches):

    SELECT b.person_id, SUM(q.weight) AS shared
      FROM person_bucket b
      JOIN (VALUES (%s, %s), ...) AS q(bucket, weight) ON q.bucket = b.bucket
     WHERE b.version = %s
     GROUP BY b.person_id
     ORDER BY shared DESC, b.person_id
     LIMIT 100

where the VALUES list is `buckets.weights(index_key, identity)` (bucket, weight) of the new
report: a shared name-pair bucket weighs 3, every other shared bucket 1. The gathered
persons are then scored with `matching.compare` and the best `limit` returned.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from . import buckets
from .matching import Identity, compare

# How many persons the bucket query gathers before scoring.
GATHER = 100

K = TypeVar("K", int, str)


def rank(shared: dict[K, int], limit: int = GATHER) -> list[K]:
    """Person ids by summed weight of shared buckets, highest first, ties by id; at most limit."""
    ordered = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
    return [pid for pid, weight in ordered[:limit] if weight > 0]


class MemoryIndex:
    """An in-memory bucket index with the database's gathering rule."""

    def __init__(self, index_key: bytes) -> None:
        self.index_key = index_key
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
            for pid in self._persons.get(b, ()):
                out[pid] += weight
        return dict(out)

    def candidates(self, identity: Identity, limit: int = 10) -> list[tuple[int | str, float]]:
        """The best `limit` persons for identity, (id, score) best first."""
        gathered = rank(self.shared(identity))  # type: ignore[type-var]
        scored = [(pid, compare(identity, self._identities[pid]).score) for pid in gathered]
        scored.sort(key=lambda kv: -kv[1])  # stable: ties keep the gathering order
        return scored[:limit]
