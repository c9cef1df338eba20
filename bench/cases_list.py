"""The cases list at scale: persons sealed and wrapped as triage makes them, on PostgreSQL.

Measures, through the real view (Django's test client in this process): the first page
of the cases list (names decrypted for the page's 50 rows), a page deep in the list,
and the list filtered by status and by caseworker, each with its total count.
Run: .venv/bin/python bench/cases_list.py [--persons 20000]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "amanat_bench_cases"
os.environ.update(
    AMANAT_ENV="test",
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
)
PASSWORD = {"ines": "ines-bench-pass-123", "cara": "cara-bench-pass-123"}
STATUSES = ["missing", "camp", "detained", "sentenced", "restricted", "died", "unknown"]


def sealed_batch(args):
    """Persons' sealed names and their keys wrapped to each holder (CPU-bound)."""
    start, count, holders = args
    import crypto
    from cases.models import PersonKey
    from cases.persons import aad

    holders = [(uuid.UUID(h), crypto.PublicKey.from_bytes(bytes.fromhex(p))) for h, p in holders]
    rows = []
    for n in range(start, start + count):
        person_id = uuid.uuid4()
        key = crypto.new_key()
        name = json.dumps({"name": f"Person {n}", "script": "latin"}).encode()
        rows.append(
            (
                person_id.hex,
                n + 1,
                crypto.seal(key, name, aad(person_id, "name")).hex(),
                crypto.seal(key, b"A source", aad(person_id, "status", "bench")).hex(),
                [
                    (h.hex, crypto.wrap(key, public, PersonKey.info(person_id, h)).hex())
                    for h, public in holders
                ],
            )
        )
    return rows


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    opts = parser.parse_args()
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    import base64

    from django_otp.oath import totp

    from accounts import second_factor, services
    from accounts.models import Reason, Role
    from cases.models import Person, PersonKey, StatusEvent

    result = services.bootstrap("Bench", "coordinator", "coordinator-bench-pass-1")
    ckey = services.unlock_private_key(result.coordinator, "coordinator-bench-pass-1")
    ines = services.add_staff("ines", Role.INTAKE, PASSWORD["ines"], result.coordinator, ckey)
    cara = services.add_staff("cara", Role.CASEWORKER, PASSWORD["cara"], result.coordinator, ckey)
    holders = [(s.holder_id.hex, bytes(s.holder.public_key).hex()) for s in (ines, cara)]

    started = time.perf_counter()
    batch = 1000
    jobs = [(start, batch, holders) for start in range(0, opts.persons, batch)]
    with ProcessPoolExecutor(max_workers=opts.workers) as pool:
        for rows in pool.map(sealed_batch, jobs):
            Person.objects.bulk_create(
                [
                    Person(
                        id=uuid.UUID(r[0]),
                        number=r[1],
                        status=random.choice(STATUSES),
                        sealed_name=bytes.fromhex(r[2]),
                    )
                    for r in rows
                ]
            )
            # Intake holds every person; cara is assigned one in a hundred.
            PersonKey.objects.bulk_create(
                [
                    PersonKey(
                        person_id=uuid.UUID(r[0]),
                        holder_id=uuid.UUID(h),
                        wrapped=bytes.fromhex(w),
                        reason=Reason.INTAKE if h == ines.holder_id.hex else Reason.ASSIGNED,
                    )
                    for r in rows
                    for h, w in r[4]
                    if h == ines.holder_id.hex or r[1] % 100 == 0
                ]
            )
            StatusEvent.objects.bulk_create(
                [
                    StatusEvent(
                        person_id=uuid.UUID(r[0]),
                        status="camp",
                        on=f"20{random.randint(17, 25)}-0{random.randint(1, 9)}-01",
                        precision=random.choice(["day", "month", "year"]),
                        sealed_source=bytes.fromhex(r[3]),
                        recorded_by=cara,
                    )
                    for r in rows
                    for _ in range(2)
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves it: index-only scans work
    print(f"Built {opts.persons} persons in {time.perf_counter() - started:.0f} s")

    def sign_in(client, staff):
        _device, secret = second_factor.enrol_totp(staff, confirmed=True)
        client.post(
            "/staff/login/", {"username": staff.username, "password": PASSWORD[staff.username]}
        )
        code = f"{totp(base64.b32decode(secret)):06d}"
        assert client.post("/staff/verify/", {"code": code}).status_code == 302

    def measure(client, query, runs=40):
        times = []
        for _ in range(runs):
            q = query() if callable(query) else query
            t = time.perf_counter()
            response = client.get("/staff/reports/persons/", q)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
        return percentile(times, 50), percentile(times, 95)

    print(
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"PostgreSQL on the same machine; times in ms"
    )
    intake, caseworker = Client(), Client()
    sign_in(intake, ines)
    sign_in(caseworker, cara)
    lines = [
        (f"intake, first page of {opts.persons}", intake, {}),
        ("intake, a random deep page", intake, lambda: {"before": random.randint(2, opts.persons)}),
        ("intake, filtered by status", intake, {"status": "camp"}),
        ("intake, filtered by caseworker", intake, {"caseworker": cara.pk, "status": "open"}),
        (f"caseworker, first page of {opts.persons // 100}", caseworker, {}),
    ]
    for label, client, query in lines:
        p50, p95 = measure(client, query)
        print(f"{label:<40} p50 {p50:6.1f}  p95 {p95:6.1f}")


if __name__ == "__main__":
    main()
