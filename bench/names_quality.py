"""How well the name matcher finds the same person across scripts, against a plain baseline.

Runs over the labelled set tests/fixtures/names/spellings.jsonl (invented persons, each
spelt several ways; tests/fixtures/names/README.md). Each spelling is queried against all
the others, exactly as `manage.py name_match` does (`names.matching.identity`, the
buckets and ranking of `names.search.MemoryIndex` under a throwaway key); the right
answers are the other spellings of the same person.

Prints recall@5 and precision@1 overall, per script and per script pair, the misses, the
same figures for the baseline (anyascii transliteration, then rapidfuzz token_sort_ratio
over all rows), the time `name_match` takes on 1,000 rows, and what the blind-index
buckets show to someone holding the table, for BUCKET_BYTES 2, 3 and 4.

Run: .venv/bin/python bench/names_quality.py [--misses 40] [--no-command]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPELLINGS = ROOT / "tests" / "fixtures" / "names" / "spellings.jsonl"
LIMIT = 10  # candidates per query, as name_match writes
SCRIPTS = ("Arab", "Latn", "Cyrl", "Hani")
# The script each spelling convention of the set is written in (the generator's forms).
FORM_SCRIPT = {
    "ug-arab": "Arab",
    "ug-cyrl": "Cyrl",
    "ru-cyrl": "Cyrl",
    "kk-cyrl": "Cyrl",
    "hani-old": "Hani",
    "hani-new": "Hani",
}

RECALL_DEFINITION = (
    "recall@5: share of spellings with at least one other spelling of the same person "
    "among the 5 best candidates"
)
PRECISION_DEFINITION = (
    "precision@1: share of spellings whose best candidate is a spelling of the same person"
)

Row = dict[str, str]
Ranking = dict[str, list[str]]  # row id -> candidate row ids, best first (never itself)


def load(path: Path = SPELLINGS) -> list[Row]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def generate(seed: int) -> list[Row]:
    """A set made afresh by the generator with another seed: other persons, spellings and
    slips from the same name table. Matcher changes tuned to the checked-in set's very rows
    show up as a lower figure here."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("names_set", SPELLINGS.parent / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    rows: list[Row] = module.make_rows(seed)
    return rows


def script_of(row: Row) -> str:
    """The script the spelling is really written in (not what the reporter picked)."""
    return FORM_SCRIPT.get(row["form"], "Latn")


# --- The two rankers --------------------------------------------------------------------


def matcher_ranking(rows: list[Row], limit: int = LIMIT) -> Ranking:
    """What name_match computes: every row indexed, then each row's best other rows."""
    from names import matching, search

    index = search.MemoryIndex(os.urandom(32))
    identities = {}
    for row in rows:
        identities[row["id"]] = matching.identity(names=[(row["name"], row["script"])])
        index.add(row["id"], identities[row["id"]])
    ranking: Ranking = {}
    for row in rows:
        found = index.candidates(identities[row["id"]], limit=limit + 1)
        ranking[row["id"]] = [str(cid) for cid, _ in found if cid != row["id"]][:limit]
    return ranking


def baseline_ranking(rows: list[Row], limit: int = LIMIT) -> Ranking:
    """The plain way: anyascii to Latin, lower case, token_sort_ratio against every row."""
    from anyascii import anyascii
    from rapidfuzz import fuzz, process

    texts = [anyascii(row["name"]).lower() for row in rows]
    ranking: Ranking = {}
    for at, row in enumerate(rows):
        # limit + 1: the row itself is among the results (score 100), and is dropped.
        found = process.extract(texts[at], texts, scorer=fuzz.token_sort_ratio, limit=limit + 1)
        ranking[row["id"]] = [rows[i]["id"] for _, _, i in found if i != at][:limit]
    return ranking


# --- Scoring ----------------------------------------------------------------------------


@dataclass
class Quality:
    recall5: float
    precision1: float
    queries: int
    by_script: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    by_form: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    # (query script, target script) -> (recall@5 of a target-script spelling, queries)
    by_pair: dict[tuple[str, str], tuple[float, int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # row ids failing recall@5


def evaluate(rows: list[Row], ranking: Ranking) -> Quality:
    """recall@5 and precision@1 over every spelling whose person has another spelling."""
    by_id = {row["id"]: row for row in rows}
    by_person: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_person[row["person"]].append(row)
    hits5: dict[str, bool] = {}
    hits1: dict[str, bool] = {}
    pair_hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row in rows:
        others = [r for r in by_person[row["person"]] if r["id"] != row["id"]]
        if not others:
            continue
        found = ranking.get(row["id"], [])
        top5 = [by_id[cid] for cid in found[:5]]
        hits5[row["id"]] = any(r["person"] == row["person"] for r in top5)
        hits1[row["id"]] = bool(found) and by_id[found[0]]["person"] == row["person"]
        for target in {script_of(r) for r in others}:
            pair = (script_of(row), target)
            pair_hits[pair].append(
                any(r["person"] == row["person"] and script_of(r) == target for r in top5)
            )
    quality = Quality(_share(hits5.values()), _share(hits1.values()), len(hits5))
    quality.by_script = _grouped(rows, hits5, hits1, script_of)
    quality.by_form = _grouped(rows, hits5, hits1, lambda row: row["form"])
    quality.by_pair = {pair: (_share(h), len(h)) for pair, h in sorted(pair_hits.items())}
    quality.misses = [row["id"] for row in rows if row["id"] in hits5 and not hits5[row["id"]]]
    return quality


def _share(values: Iterable[bool]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _grouped(
    rows: list[Row],
    hits5: dict[str, bool],
    hits1: dict[str, bool],
    key: Callable[[Row], str],
) -> dict[str, tuple[float, float, int]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["id"] in hits5:
            groups[key(row)].append(row["id"])
    return {
        name: (_share(hits5[i] for i in ids), _share(hits1[i] for i in ids), len(ids))
        for name, ids in sorted(groups.items())
    }


# --- Printing ---------------------------------------------------------------------------


def print_quality(title: str, quality: Quality) -> None:
    print(f"\n== {title}: {quality.queries} queries")
    print(f"recall@5 {quality.recall5:.3f}   precision@1 {quality.precision1:.3f}")
    print("per script of the query: recall@5 / precision@1 (queries)")
    for name, (r5, p1, n) in quality.by_script.items():
        print(f"  {name:<14} {r5:.3f} / {p1:.3f}  ({n})")
    print("per spelling convention of the query:")
    for name, (r5, p1, n) in quality.by_form.items():
        print(f"  {name:<14} {r5:.3f} / {p1:.3f}  ({n})")
    print("per script pair: recall@5 of a spelling in the target script (queries)")
    header = "  query \\ target " + "".join(f"{s:>14}" for s in SCRIPTS)
    print(header)
    for query in SCRIPTS:
        cells = []
        for target in SCRIPTS:
            value = quality.by_pair.get((query, target))
            cells.append(f"{value[0]:.3f} ({value[1]:>3})" if value else "-")
        print(f"  {query:<16}" + "".join(f"{c:>14}" for c in cells))


def _reversed(label: str) -> str:
    return " ".join(reversed(label.split(" ")))


def print_misses(rows: list[Row], ranking: Ranking, quality: Quality, count: int) -> None:
    """The recall misses, then the wrong best candidates, sorted into kinds of failure."""
    by_id = {row["id"]: row for row in rows}
    by_person: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_person[row["person"]].append(row)
    print(f"\n== Misses of the matcher (recall@5 failed): {len(quality.misses)}; first {count}")
    for row_id in quality.misses[:count]:
        row = by_id[row_id]
        same = [r["name"] for r in by_person[row["person"]] if r["id"] != row_id]
        top = [f"{by_id[c]['name']} [{by_id[c]['label']}]" for c in ranking[row_id][:5]]
        print(f"- {row['name']!r} = {row['label']} ({row['form']}, script field {row['script']!r})")
        print(f"    same person: {' | '.join(same)}")
        print(f"    top 5:       {' | '.join(top) if top else '(no candidates)'}")
    kinds: Counter[str] = Counter()
    wrong: list[str] = []
    for row in rows:
        found = ranking.get(row["id"], [])
        if len(by_person[row["person"]]) < 2:
            continue
        if not found:
            kinds[f"no candidates at all ({row['form']})"] += 1
            continue
        best = by_id[found[0]]
        if best["person"] == row["person"]:
            continue
        if best["label"] == _reversed(row["label"]):
            kinds["best is the person with the two names swapped (order trap)"] += 1
        elif set(best["label"].split()) & set(row["label"].split()):
            kinds["best shares one name with the person"] += 1
        else:
            kinds["best shares no name with the person"] += 1
        wrong.append(
            f"- {row['name']!r} = {row['label']} ({row['form']}) -> "
            f"{best['name']!r} = {best['label']} ({best['form']})"
        )
    print(f"\n== Wrong best candidates (precision@1 failed), by kind: {sum(kinds.values())}")
    for kind, n in kinds.most_common():
        print(f"   {n:4d}  {kind}")
    print(f"   first {count}:")
    for line in wrong[:count]:
        print(f"   {line}")


def time_command(rows: list[Row], count: int = 1000) -> None:
    """Run `manage.py name_match` on the first `count` rows, as a user would."""
    subset = rows[:count]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "names.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in subset:
                line = {"id": row["id"], "name": row["name"], "script": row["script"]}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        env = {**os.environ, "AMANAT_ENV": "development", "AMANAT_DATA_DIR": folder + "/data"}
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "manage.py", "name_match", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
    print(f"\n== name_match on {len(subset)} rows: {elapsed:.1f} s (target: under 60 s)")
    if result.returncode != 0:
        print(f"   FAILED (exit {result.returncode}): {result.stderr.strip()[-500:]}")
        return
    ranking: Ranking = {}
    for text in result.stdout.splitlines():
        answer = json.loads(text)
        ranking[answer["id"]] = [c["id"] for c in answer["candidates"]]
    quality = evaluate(subset, ranking)
    print(
        f"   its output on those rows: recall@5 {quality.recall5:.3f}, "
        f"precision@1 {quality.precision1:.3f} ({quality.queries} queries)"
    )


def bucket_statistics(rows: list[Row]) -> None:
    """What the bucket table tells someone who holds it, per truncation length."""
    from names import buckets, matching

    key = os.urandom(32)
    identities = {
        row["id"]: matching.identity(names=[(row["name"], row["script"])]) for row in rows
    }
    values = {rid: buckets.values(ident) for rid, ident in identities.items()}
    distinct = {v for vs in values.values() for v in vs}
    saved = buckets.BUCKET_BYTES
    print("\n== Blind-index buckets (each spelling stored as a report of its own)")
    print(
        f"   names.buckets.BUCKET_BYTES in use: {saved}; distinct bucketed values: {len(distinct)}"
    )
    try:
        for size in (2, 3, 4):
            buckets.BUCKET_BYTES = size  # the module reads it at each call
            per_row = {rid: buckets.of(key, ident) for rid, ident in identities.items()}
            _bucket_figures(key, rows, per_row, values, size)
    finally:
        buckets.BUCKET_BYTES = saved


def _bucket_figures(
    key: bytes,
    rows: list[Row],
    per_row: dict[str, frozenset[bytes]],
    values: dict[str, set[tuple[str, str]]],
    size: int,
) -> None:
    from crypto import blind_index
    from names import buckets

    per_person: dict[str, set[bytes]] = defaultdict(set)
    frequency: Counter[bytes] = Counter()
    for row in rows:
        per_person[row["person"]] |= per_row[row["id"]]
        frequency.update(per_row[row["id"]])
    # The plaintext behind each bucket (the bench knows it; the holder of the table does
    # not, but guesses it from the frequency of common names). Hashed as buckets.weights does.
    behind: dict[bytes, set[str]] = defaultdict(set)
    for kind, value in {v for vs in values.values() for v in vs}:
        behind[blind_index(key, value, buckets.domain(kind), size)].add(value)
    total = len(rows)
    # Candidates a query meets: rows sharing at least one bucket with it (the SQL's work).
    holders: dict[bytes, set[str]] = defaultdict(set)
    for rid, bs in per_row.items():
        for b in bs:
            holders[b].add(rid)
    met = [len(set().union(*(holders[b] for b in bs)) - {rid}) for rid, bs in per_row.items()]
    print(f"\n-- BUCKET_BYTES = {size} ({2 ** (8 * size):,} possible values)")
    print(
        f"   buckets per spelling: mean {statistics.mean(len(b) for b in per_row.values()):.1f}; "
        f"per person (all spellings): mean "
        f"{statistics.mean(len(b) for b in per_person.values()):.1f}"
    )
    print(f"   distinct bucket values: {len(frequency)} over {total} spellings")
    print("   the most frequent buckets, share of rows, and the values behind them:")
    for bucket, count in frequency.most_common(6):
        guess = ", ".join(sorted(behind[bucket]))
        print(f"     {count / total:6.1%}  {guess}")
    print(
        f"   buckets on a single row: {sum(1 for c in frequency.values() if c == 1)}; "
        f"rows met per query: median {statistics.median(met):.0f}, max {max(met)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=40)
    parser.add_argument("--no-command", action="store_true", help="skip timing name_match")
    parser.add_argument(
        "--seed", type=int, help="measure a set generated afresh with this seed instead"
    )
    opts = parser.parse_args()
    rows = load() if opts.seed is None else generate(opts.seed)
    persons = len({row["person"] for row in rows})
    source = SPELLINGS.relative_to(ROOT) if opts.seed is None else f"generated, seed {opts.seed}"
    print(f"Set: {len(rows)} spellings of {persons} persons ({source})")
    print(RECALL_DEFINITION)
    print(PRECISION_DEFINITION)

    start = time.perf_counter()
    ranking = matcher_ranking(rows)
    matcher_time = time.perf_counter() - start
    quality = evaluate(rows, ranking)
    print_quality(f"names matcher ({matcher_time:.1f} s in process)", quality)

    start = time.perf_counter()
    base_ranking = baseline_ranking(rows)
    base_time = time.perf_counter() - start
    base = evaluate(rows, base_ranking)
    print_quality(
        f"baseline: anyascii + rapidfuzz token_sort_ratio, brute force ({base_time:.1f} s)", base
    )
    print_misses(rows, ranking, quality, opts.misses)
    print(
        f"\n== Summary: matcher recall@5 {quality.recall5:.3f} precision@1 "
        f"{quality.precision1:.3f}; baseline recall@5 {base.recall5:.3f} precision@1 "
        f"{base.precision1:.3f}; targets recall@5 >= 0.99, precision@1 >= 0.95"
    )
    if not opts.no_command:
        time_command(rows)
    bucket_statistics(rows)


if __name__ == "__main__":
    main()
