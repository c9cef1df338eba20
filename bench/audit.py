"""The auditor's page at scale: a chain of many entries on PostgreSQL.

Builds a valid chain (default 500,000 entries: staff sign-ins and closed days of
report openings and inbox views) and a day of waiting entries, then measures through
the real views: the log page unfiltered and filtered (actor, action and dates), the
CSV download of a filtered month, the verification of the whole chain (the daily task)
and recording a report opening once a day (audit.chain.record_view).
Run: .venv/bin/python bench/audit.py [--entries 500000] [--database amanat_bench_audit]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "ada-bench-auditor-pass-1"  # noqa: S105 - a throwaway bench database


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=500_000)
    parser.add_argument("--waiting", type=int, default=5_000)
    parser.add_argument("--database", default="amanat_bench_audit")
    opts = parser.parse_args()
    db = opts.database
    os.environ.update(
        AMANAT_ENV="test",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
    )
    for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)

    import django

    django.setup()
    import base64

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp.oath import totp

    from accounts import second_factor, services
    from accounts.models import Role
    from audit import chain
    from audit.models import Action, Entry, Head, Waiting

    setup_test_environment()
    call_command("migrate", verbosity=0)
    result = services.bootstrap("Bench", "coordinator", "coordinator-bench-pass-1")
    ckey = services.unlock_private_key(result.coordinator, "coordinator-bench-pass-1")
    staff = [
        services.add_staff(
            f"staff{n}", Role.CASEWORKER, f"staff-bench-pass-{n}x", result.coordinator, ckey
        )
        for n in range(3)
    ]
    ada = services.add_staff("ada", Role.AUDITOR, PASSWORD, result.coordinator, ckey)
    actors = [chain.staff_actor(s) for s in staff]

    started = time.perf_counter()
    head = Head.objects.get()
    day = datetime(2024, 1, 1, tzinfo=UTC)
    batch: list[Entry] = []
    per_day = 400
    for n in range(opts.entries):
        if n % per_day == 0:
            day += timedelta(days=1)
        actor = actors[n % len(actors)]
        if n % 10 == 0:
            entry = chain._next(
                head, day + timedelta(seconds=n % 80000), actor, Action.LOGIN, [actor[6:]]
            )
        elif n % 10 == 1:
            ids = [uuid.uuid4().hex for _ in range(50)]
            entry = chain._next(head, day, actor, Action.INBOX_VIEWED, ids)
        else:
            entry = chain._next(head, day, actor, Action.REPORT_OPENED, [uuid.uuid4().hex])
        batch.append(entry)
        if len(batch) == 5000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    Head.objects.filter(pk=head.pk).update(sequence=head.sequence, hash=head.hash)
    today = chain.midnight(django.utils.timezone.localdate())
    Waiting.objects.bulk_create(
        Waiting(
            created_at=today,
            actor=random.choice(actors),
            action=Action.REPORT_OPENED,
            subjects=[uuid.uuid4().hex],
        )
        for _ in range(opts.waiting)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves an append-only table
    print(f"Built {Entry.objects.count()} chained entries in {time.perf_counter() - started:.0f} s")

    _device, secret = second_factor.enrol_totp(ada, confirmed=True)
    client = Client()
    client.post("/staff/login/", {"username": "ada", "password": PASSWORD})
    code = f"{totp(base64.b32decode(secret)):06d}"
    assert client.post("/staff/verify/", {"code": code}).status_code == 302

    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}; ms")
    views = {
        "log page 1": "",
        "log page 2000": "?page=2000",
        "by actor": f"?actor={actors[0]}",
        "by action (sign-ins)": f"?action={Action.LOGIN.value}",
        "by action and a month": f"?action={Action.LOGIN.value}&start=2024-03-01&end=2024-03-31",
    }
    for label, query in views.items():
        times = []
        for _ in range(20):
            t = time.perf_counter()
            response = client.get(f"/staff/audit/{query}")
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
        print(f"{label:<24} p50 {percentile(times, 50):7.1f}  p95 {percentile(times, 95):7.1f}")

    t = time.perf_counter()
    response = client.get("/staff/audit/download/?start=2024-03-01&end=2024-03-31")
    chunks = response.streaming_content  # type: ignore[attr-defined]
    lines = sum(chunk.count(b"\n") for chunk in chunks)
    print(f"CSV of a month ({lines} lines): {(time.perf_counter() - t) * 1000:.0f} ms")

    times = []
    for _ in range(200):
        t = time.perf_counter()
        chain.record_view(actors[0], Action.REPORT_OPENED, uuid.uuid4())
        times.append(time.perf_counter() - t)
    print(
        f"{'record_view (new)':<24} p50 {percentile(times, 50):7.1f}  "
        f"p95 {percentile(times, 95):7.1f}"
    )

    t = time.perf_counter()
    check = chain.check("daily")
    print(
        f"Verify the whole chain ({check.entries_checked} entries, ok={check.ok}): "
        f"{time.perf_counter() - t:.1f} s"
    )


if __name__ == "__main__":
    main()
