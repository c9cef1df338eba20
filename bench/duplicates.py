"""The duplicate finder at scale, on PostgreSQL: the bucket lookup and the full triage
proposal against a plaintext trigram search over the same names.

Builds (default) 600,000 persons with about 1,000,000 reports, names made by the
labelled set's rules (tests/fixtures/names/generate.py: Zipf-like given names, the
father's name as surname, many scripts and spellings), each person sealed, wrapped to
the intake member and bucketed as cases.duplicates.index_person does, loaded with COPY
into the tables the migrations make. Then, for new reports of existing and of unknown
persons, measures:
- the candidate lookup (cases.duplicates.candidates: one query over the buckets);
- the whole proposal (cases.duplicates.propose: the report opened, the lookup, every
  candidate's key unwrapped, its identity opened and compared with names.matching);
- the reference a user would build instead: the same names in clear, a pg_trgm GIN
  index, `name % query` ordered by similarity (only in this throwaway database);
and prints the tables' sizes and what the buckets' row counts show (frequency).
Run: .venv/bin/python bench/duplicates.py [--persons 20000] [--keep]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOADED = [
    "intake_report",
    "cases_person",
    "cases_personkey",
    "cases_personbucket",
    "cases_personreport",
]
PASSWORD = "ines-bench-pass-123"  # noqa: S105 - a throwaway bench database
CHUNK = 2000


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def defer_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the loaded tables' indexes and constraints (and foreign keys pointing at
    them) before COPY; returns the statements that make them again, as the migrations
    made them, so the measured schema is the real one."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype"
        " FROM pg_constraint WHERE contype IN ('f', 'p', 'u')"
        " AND (conrelid::regclass::text = ANY(%s)"
        "      OR (contype = 'f' AND confrelid::regclass::text = ANY(%s)))",
        [tables, tables],
    )
    constraints = cursor.fetchall()
    named = {name for _t, name, _d, _c in constraints}
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
    indexes = [(name, sql) for name, sql in cursor.fetchall() if name not in named]
    foreign = [c for c in constraints if c[3] == "f"]
    keys = [c for c in constraints if c[3] != "f"]
    for table, name, _d, _c in foreign + keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    restore = [sql for _n, sql in indexes]
    restore += [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _c in keys]
    restore += [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _c in foreign]
    return restore


@dataclass
class Query:
    """A new report: of an existing person (`number`) or of nobody known (None)."""

    report_id: uuid.UUID
    content: dict
    number: int | None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=600_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default="amanat_bench")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    opts = parser.parse_args()
    db = opts.database
    os.environ.update(
        AMANAT_ENV="test",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
    )
    psql(f"DROP DATABASE IF EXISTS {db}")
    psql(f"CREATE DATABASE {db}")
    try:
        run(opts, db)
    finally:
        if not opts.keep:
            from django.db import connection

            connection.close()
            psql(f"DROP DATABASE IF EXISTS {db}")


def run(opts: argparse.Namespace, db: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts import services
    from accounts.models import Role
    from bench import duplicates_data as data

    call_command("migrate", verbosity=0)
    result = services.bootstrap("Bench", "coordinator", "coordinator-bench-pass-1")
    ckey = services.unlock_private_key(result.coordinator, "coordinator-bench-pass-1")
    # The intake member holds every person (as intake does) and the index key.
    ines = services.add_staff("ines", Role.INTAKE, PASSWORD, result.coordinator, ckey)
    ines_key = services.unlock_private_key(ines, PASSWORD)
    from cases import duplicates

    index_key = duplicates.index_key(ines.holder, ines_key)
    assert index_key is not None

    print(
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"PostgreSQL on the same machine; times in ms"
    )
    columns = {
        "cases_person": [
            "id",
            "number",
            "created_on",
            "verification",
            "status",
            "sealed_name",
            "sealed_identity",
            "reindex_due",
        ],
        "cases_personkey": ["person_id", "holder_id", "wrapped", "reason"],
        "cases_personbucket": ["person_id", "bucket", "version"],
        "intake_report": list(data.report_row(uuid.uuid4(), date.today(), random.Random())),
        "cases_personreport": ["person_id", "report_id"],
        data.CLEAR_TABLE: ["person_id", "name"],
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(f"CREATE TABLE {data.CLEAR_TABLE} (person_id uuid NOT NULL, name text)")
        restore = defer_indexes(cursor, LOADED)
    connection.close()  # the workers are forked: no shared connection

    started = time.perf_counter()
    jobs = [
        data.Job(
            db,
            start,
            min(CHUNK, opts.persons - start),
            opts.seed,
            index_key,
            ines.holder_id.hex,
            bytes(ines.holder.public_key),
            columns,
        )
        for start in range(0, opts.persons, CHUNK)
    ]
    persons = reports = bucket_rows = 0
    step = max(1, len(jobs) // 10)
    with ProcessPoolExecutor(max_workers=opts.workers) as pool:
        for done, (p, r, b) in enumerate(pool.map(data.build, jobs), 1):
            persons, reports, bucket_rows = persons + p, reports + r, bucket_rows + b
            if done % step == 0 or done == len(jobs):
                print(
                    f"  loaded {persons} persons, {reports} reports, {bucket_rows} bucket rows"
                    f" ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
    loaded = time.perf_counter() - started
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in restore:
            cursor.execute(sql)
    indexed = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX bench_clear_trgm ON {data.CLEAR_TABLE} USING gin (name gin_trgm_ops)"
        )
    trgm_built = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves it
    print(
        f"Built {persons} persons, {reports} reports, {bucket_rows} bucket rows: generated,"
        f" sealed, wrapped and COPYed in {loaded:.0f} s, indexes and constraints"
        f" {indexed:.0f} s, the plaintext trigram index {trgm_built:.0f} s"
    )
    sizes(connection, data.CLEAR_TABLE, persons)
    queries = make_queries(opts, ines, data)
    measure(opts, ines, ines_key, index_key, queries, data)


def make_queries(opts: argparse.Namespace, ines, data) -> list[Query]:
    """New reports, sealed and wrapped to the intake member as submission does: half
    of existing persons (another reporter's spelling), half of persons not known."""
    import crypto
    from intake import sealing
    from intake.models import Report, ReportKey

    gen = data.generator()
    rng = random.Random(opts.seed + 1)
    queries = []
    for n in range(opts.queries):
        if n % 2 == 0:
            number: int | None = rng.randrange(opts.persons)
            truth, _ = data.person_reports(gen, opts.seed, number)
        else:
            number = None
            truth, _ = data.person_reports(gen, opts.seed + 1, 10_000_000 + n)
        content = data.report_content(gen, truth, rng)
        report_id, dek = uuid.uuid4(), crypto.new_key()
        Report.objects.create(
            id=report_id,
            language="en",
            consent="internal",
            schema_version=1,
            sealed_content=crypto.seal(
                dek, json.dumps(content).encode(), sealing.content_aad(report_id)
            ),
            receipt_lookup=os.urandom(32).hex(),
            reporter_public_key=os.urandom(data.REPORTER_PUBLIC),
            reporter_key=os.urandom(data.REPORTER_KEY),
        )
        public = crypto.PublicKey.from_bytes(bytes(ines.holder.public_key))
        ReportKey.objects.create(
            report_id=report_id,
            holder_id=ines.holder_id,
            wrapped=crypto.wrap(dek, public, sealing.key_info(report_id, ines.holder_id)),
        )
        queries.append(Query(report_id, content, number))
    return queries


def measure(opts, ines, ines_key, index_key: bytes, queries: list[Query], data) -> None:
    from django.db import connection

    from cases import duplicates
    from cases.models import Person

    numbers = {q.number for q in queries if q.number is not None}
    number_of = dict(
        Person.objects.filter(number__in=[n + 1 for n in numbers]).values_list("id", "number")
    )
    wanted = [duplicates.identity_of(duplicates.report_identity(q.content)) for q in queries]
    for w in wanted[:20]:  # warm the caches once
        duplicates.candidates(ines, index_key, w)

    lookups, sizes_found, gathered = [], [], 0
    for q, w in zip(queries, wanted, strict=True):
        t = time.perf_counter()
        found = duplicates.candidates(ines, index_key, w)
        lookups.append(time.perf_counter() - t)
        sizes_found.append(len(found))
        if q.number is not None and any(number_of.get(pid) == q.number + 1 for pid, _ in found):
            gathered += 1

    slowest = max(range(len(lookups)), key=lookups.__getitem__)
    explain(ines, index_key, wanted[slowest])

    proposals, top1, found10 = [], 0, 0
    for q in queries:
        t = time.perf_counter()
        shown = duplicates.propose(ines, ines_key, index_key, q.report_id)
        proposals.append(time.perf_counter() - t)
        if q.number is not None:
            hits = [p.number for p in shown]
            found10 += (q.number + 1) in hits
            top1 += bool(hits) and hits[0] == q.number + 1

    batched = []
    for q in queries:
        t = time.perf_counter()
        batched_proposal(ines, ines_key, index_key, q.report_id)
        batched.append(time.perf_counter() - t)

    trigram, trgm_found = [], 0
    with connection.cursor() as cursor:
        for q in queries:
            entry = q.content["missing"]["names"][0]
            text = data.folded(entry["name"], entry["script"])
            t = time.perf_counter()
            cursor.execute(
                f"SELECT person_id, max(similarity(name, %s)) AS s FROM {data.CLEAR_TABLE}"
                " WHERE name %% %s GROUP BY person_id ORDER BY s DESC LIMIT 50",
                [text, text],
            )
            rows = cursor.fetchall()
            trigram.append(time.perf_counter() - t)
            if q.number is not None and any(number_of.get(r[0]) == q.number + 1 for r in rows):
                trgm_found += 1

    known = len(numbers)
    from names import search

    print(f"Gathering: buckets on at most CAP {search.CAP} rows, GATHER {search.GATHER}")
    print(
        f"{len(queries)} new reports ({known} of existing persons, the rest unknown);"
        f" candidates per lookup: median {statistics.median(sizes_found):.0f},"
        f" max {max(sizes_found)}"
    )
    lines = [
        ("candidate lookup (buckets, one query)", lookups, 20),
        ("full proposal (lookup, unwrap, open, compare)", proposals, 150),
        ("  the same, keys and identities in one query", batched, 150),
        ("plaintext pg_trgm reference (name % query)", trigram, None),
    ]
    for label, times, target in lines:
        p95 = percentile(times, 95)
        goal = ""
        if target is not None:
            goal = f"  target p95 <= {target} ms: {'met' if p95 <= target else 'MISSED'}"
        print(f"{label:<48} p50 {percentile(times, 50):6.1f}  p95 {p95:6.1f}{goal}")
    print(
        f"p95 ratio, lookup / trigram: {percentile(lookups, 95) / percentile(trigram, 95):.2f};"
        f" proposal / trigram: {percentile(proposals, 95) / percentile(trigram, 95):.2f}"
    )
    print(
        f"Existing persons found: among the lookup's {max(sizes_found)} {gathered}/{known},"
        f" in the proposal's {duplicates.PROPOSALS} {found10}/{known}, first {top1}/{known};"
        f" trigram top 50 {trgm_found}/{known}"
    )


def explain(ines, index_key: bytes, identity) -> None:
    """The plan of the slowest lookup, as PostgreSQL ran it (what it reads, and how)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases import duplicates
    from names import buckets

    with CaptureQueriesContext(connection) as captured:
        duplicates.candidates(ines, index_key, identity)
    sql = captured.captured_queries[-1]["sql"]
    print(f"The slowest lookup ({len(buckets.query(index_key, identity))} buckets), its plan:")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        for (line,) in cursor.fetchall():
            print(f"    {line}")


def batched_proposal(ines, ines_key, index_key: bytes, report_id: uuid.UUID) -> list:
    """cases.duplicates.propose's work with the candidates' wrapped keys and sealed
    identities read in one query instead of two per candidate: what that would save."""
    import crypto
    from accounts import keyring
    from cases import duplicates
    from cases.models import PersonKey
    from names import matching

    content = duplicates.report_content(ines.holder_id, ines_key, report_id)
    wanted = duplicates.identity_of(duplicates.report_identity(content))
    found = [pid for pid, _ in duplicates.candidates(ines, index_key, wanted)]
    rows = PersonKey.objects.filter(holder_id=ines.holder_id, person_id__in=found)
    scored = []
    for row in rows.select_related("person").only(
        "person_id", "holder_id", "wrapped", "person__number", "person__sealed_identity"
    ):
        key = keyring.unwrap(row, ines_key)
        sealed = bytes(row.person.sealed_identity)
        data = json.loads(crypto.open_(key, sealed, duplicates._aad(row.person_id)))
        match = matching.compare(wanted, duplicates.identity_of(data))
        scored.append((-match.score, row.person.number))
    return sorted(scored)[: duplicates.PROPOSALS]


def sizes(connection, clear_table: str, persons: int) -> None:
    """Sizes, buckets per person, and the largest buckets: what someone reading the
    table (without the index key) learns from the row counts alone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid), pg_indexes_size(c.oid),"
            " pg_total_relation_size(c.oid) FROM pg_class c WHERE c.relname = ANY(%s)",
            [[*LOADED, clear_table]],
        )
        print("Table sizes (MB): table, its indexes, total with TOAST")
        for name, table, indexes, total in sorted(cursor.fetchall()):
            mb = 1024 * 1024
            print(f"  {name:<28} {table / mb:8.0f} {indexes / mb:8.0f} {total / mb:8.0f}")
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])",
            [["cases_personbucket", "cases_personkey", clear_table]],
        )
        for name, size in sorted(cursor.fetchall()):
            print(f"    index {name:<40} {size / 1024 / 1024:8.0f}")
        cursor.execute(
            "SELECT avg(n), percentile_cont(0.5) WITHIN GROUP (ORDER BY n),"
            " percentile_cont(0.95) WITHIN GROUP (ORDER BY n), max(n)"
            " FROM (SELECT count(*) AS n FROM cases_personbucket GROUP BY person_id) p"
        )
        avg, p50, p95, top = cursor.fetchone()
        print(f"Buckets per person: mean {avg:.1f}, median {p50:.0f}, p95 {p95:.0f}, max {top}")
        cursor.execute(
            "SELECT n FROM (SELECT count(*) AS n FROM cases_personbucket GROUP BY bucket) b"
            " ORDER BY n DESC"
        )
        counts = [n for (n,) in cursor.fetchall()]
    print(
        f"Distinct buckets: {len(counts)}; with one person only: {sum(c == 1 for c in counts)};"
        f" with >= 1% of persons: {sum(c >= persons / 100 for c in counts)}"
    )
    print(
        "Largest buckets (rows = persons; % of persons): "
        + ", ".join(f"{c} ({100 * c / persons:.1f}%)" for c in counts[:12])
    )


if __name__ == "__main__":
    main()
