"""How long parsing a person's names and comparing two persons take, per call.

Triage decrypts up to 100 candidates' identities per proposal and parses and compares
each, so `names.matching.identity` plus `names.matching.compare` must stay well under a
millisecond. Runs over ~300 spellings of tests/fixtures/names/spellings.jsonl: times
identity() per spelling and compare() per pair (p50/p95 in microseconds), against
rapidfuzz's fuzz.ratio on the same strings, timed in the same run, so that the ratio
holds across machines.

Run: .venv/bin/python bench/names_speed.py [--spellings 300] [--pairs 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPELLINGS = ROOT / "tests" / "fixtures" / "names" / "spellings.jsonl"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20)
    return statistics.median(samples), cuts[18]


def _timed(fn: Callable[..., object], args: Sequence[tuple[object, ...]]) -> list[float]:
    out = []
    for a in args:
        t = time.perf_counter()
        fn(*a)
        out.append((time.perf_counter() - t) * 1e6)
    return out


def main() -> None:
    from rapidfuzz import fuzz

    from names import matching

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spellings", type=int, default=300)
    ap.add_argument("--pairs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    rows = [json.loads(line) for line in SPELLINGS.read_text(encoding="utf-8").splitlines()]
    rows = rng.sample(rows, min(args.spellings, len(rows)))
    father = [r["name"] for r in rng.sample(rows, len(rows))]
    calls = [
        ([(r["name"], r["script"])], father[i] if i % 2 else "", 1970 + i % 10, "Ghulja")
        for i, r in enumerate(rows)
    ]
    # Warm-up: the name table, its indexes and the converters load once per process, not
    # per call (a one-piece pinyin name and a Chinese one reach every look-up table).
    for text in ("maimaitituerxun", "买买提吐尔逊", "Мамат", "مەمەت", "Memet Tursun"):
        matching.identity([text], "Tursun", 1970, "Ghulja")
    parse_us = _timed(matching.identity, calls)
    identities = [matching.identity(*c) for c in calls]
    pairs = [(rng.randrange(len(rows)), rng.randrange(len(rows))) for _ in range(args.pairs)]
    compare_us = _timed(matching.compare, [(identities[i], identities[j]) for i, j in pairs])
    strings = [r["name"] for r in rows]
    base_parse = _timed(fuzz.ratio, [(s, s[::-1]) for s in strings])
    base_compare = _timed(fuzz.ratio, [(strings[i], strings[j]) for i, j in pairs])

    print(f"spellings {len(rows)}, pairs {len(pairs)}")
    print(f"{'':24}{'p50 µs':>10}{'p95 µs':>10}{'p50 x base':>12}{'p95 x base':>12}")
    for label, samples, base in (
        ("matching.identity", parse_us, base_parse),
        ("matching.compare", compare_us, base_compare),
        ("baseline fuzz.ratio", base_compare, base_compare),
    ):
        p50, p95 = _percentiles(samples)
        b50, b95 = _percentiles(base)
        print(f"{label:24}{p50:10.1f}{p95:10.1f}{p50 / b50:12.0f}{p95 / b95:12.0f}")
    per_candidate = [p + c for p, c in zip(parse_us, compare_us, strict=False)]
    per = _percentiles(per_candidate)
    print(f"identity+compare per candidate: p50 {per[0]:.0f} µs, p95 {per[1]:.0f} µs")
    # A proposal parses and compares up to 100 candidates: sums of 100 drawn at random.
    totals = [sum(rng.choices(per_candidate, k=100)) / 1000 for _ in range(2000)]
    print(
        f"100 candidates per proposal: p50 {statistics.median(totals):.0f} ms, "
        f"p95 {statistics.quantiles(totals, n=20)[18]:.0f} ms (target p95 150 ms)"
    )


if __name__ == "__main__":
    main()
