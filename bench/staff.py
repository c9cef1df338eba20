"""The staff side at scale: 100,000 sealed reports on PostgreSQL.

Measures, through the real views (Django's test client in this process, against
PostgreSQL): the inbox page (names decrypted for the page's 50 rows), opening a
report, and signing in (password unlocks the Argon2id key, then TOTP).
Run: .venv/bin/python bench/staff.py [--reports 100000]
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
DB = "amanat_bench_staff"
os.environ.update(
    AMANAT_ENV="test",
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
)
PASSWORD = {"ines": "ines-bench-pass-123", "cara": "cara-bench-pass-123"}


def sealed_batch(args):
    """Sealed reports and their wrappings, built in a worker process (CPU-bound)."""
    count, holders, reporter_public = args
    import crypto
    from intake import sealing as seal

    holders = [(uuid.UUID(h), crypto.PublicKey.from_bytes(bytes.fromhex(p))) for h, p in holders]
    reporter = crypto.PublicKey.from_bytes(bytes.fromhex(reporter_public))
    rows = []
    for n in range(count):
        report_id = uuid.uuid4()
        dek = crypto.new_key()
        content = {
            "missing": {"names": [{"name": f"Person {n} {report_id.hex[:6]}", "script": "latin"}]},
            "disappearance": {"place": "Kashgar"},
            "reporter": {"reporter_name": "R"},
        }
        rows.append(
            (
                report_id.hex,
                crypto.seal(dek, json.dumps(content).encode(), seal.content_aad(report_id)).hex(),
                crypto.wrap(dek, reporter, seal.reporter_key_info(report_id)).hex(),
                [
                    (h.hex, crypto.wrap(dek, key, seal.key_info(report_id, h)).hex())
                    for h, key in holders
                ],
            )
        )
    return rows


def random_day() -> str:
    return f"20{random.randint(19, 26)}-0{random.randint(1, 9)}-1{random.randint(0, 9)}"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    opts = parser.parse_args()
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's hooks; the database is the real one above
    call_command("migrate", verbosity=0)
    from django_otp.oath import totp

    import crypto
    from accounts import second_factor, services
    from accounts.models import Role
    from intake.models import Report, ReportKey

    result = services.bootstrap("Bench", "coordinator", "coordinator-bench-pass-1")
    ckey = services.unlock_private_key(result.coordinator, "coordinator-bench-pass-1")
    ines = services.add_staff("ines", Role.INTAKE, PASSWORD["ines"], result.coordinator, ckey)
    cara = services.add_staff("cara", Role.CASEWORKER, PASSWORD["cara"], result.coordinator, ckey)
    holders = [
        (ines.holder_id.hex, bytes(ines.holder.public_key).hex()),
        (
            result.organisation.recovery_holder_id.hex,
            bytes(result.organisation.recovery_holder.public_key).hex(),
        ),
    ]
    reporter_public = crypto.PrivateKey.generate().public_key()

    started = time.perf_counter()
    batch = 2000
    jobs = [(batch, holders, reporter_public.to_bytes().hex())] * (opts.reports // batch)
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for rows in pool.map(sealed_batch, jobs):
            Report.objects.bulk_create(
                [
                    Report(
                        id=uuid.UUID(r[0]),
                        language="en",
                        consent="un-confidential",
                        region="kashgar",
                        schema_version=1,
                        sealed_content=bytes.fromhex(r[1]),
                        receipt_lookup=uuid.uuid4().hex + uuid.uuid4().hex,
                        reporter_public_key=reporter_public.to_bytes(),
                        reporter_key=bytes.fromhex(r[2]),
                        received_on=random_day(),
                    )
                    for r in rows
                ]
            )
            ReportKey.objects.bulk_create(
                [
                    ReportKey(
                        report_id=uuid.UUID(r[0]), holder_id=uuid.UUID(h), wrapped=bytes.fromhex(w)
                    )
                    for r in rows
                    for h, w in r[3]
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Built {opts.reports} sealed reports with their wrappings in "
        f"{time.perf_counter() - started:.0f} s"
    )

    # The caseworker holds 200 of them (assigned by intake).
    from cases import services as cases

    ines_key = services.unlock_private_key(ines, PASSWORD["ines"])
    for report_id in Report.objects.order_by("?").values_list("id", flat=True)[:200]:
        cases.assign(ines, ines_key, report_id, cara)

    def sign_in(client, staff):
        _device, secret = second_factor.enrol_totp(staff, confirmed=True)
        import base64

        seed = base64.b32decode(secret)
        t = time.perf_counter()
        client.post(
            "/staff/login/", {"username": staff.username, "password": PASSWORD[staff.username]}
        )
        response = client.post("/staff/verify/", {"code": f"{totp(seed):06d}"})
        assert response.status_code == 302
        return time.perf_counter() - t

    print(
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"PostgreSQL on the same machine; times in ms"
    )
    for staff, label in (
        (ines, f"intake (holds all {opts.reports})"),
        (cara, "caseworker (holds 200)"),
    ):
        client = Client()
        login = sign_in(client, staff)
        pages = max(1, Report.objects.filter(keys__holder=staff.holder).count() // 50)
        inbox, opened = [], []
        ids = list(
            Report.objects.filter(keys__holder=staff.holder).values_list("id", flat=True)[:5000]
        )
        for n in range(60):
            page = 1 if n % 3 == 0 else random.randint(1, pages)
            t = time.perf_counter()
            response = client.get(f"/staff/reports/?page={page}")
            inbox.append(time.perf_counter() - t)
            assert response.status_code == 200
        for _ in range(100):
            t = time.perf_counter()
            response = client.get(f"/staff/reports/{random.choice(ids)}/")
            opened.append(time.perf_counter() - t)
            assert response.status_code == 200
        print(
            f"{label:<34} login {login * 1000:6.0f} | inbox p50 {percentile(inbox, 50):6.1f} "
            f"p95 {percentile(inbox, 95):6.1f} | open report p50 {percentile(opened, 50):6.1f} "
            f"p95 {percentile(opened, 95):6.1f}"
        )
    print(
        "Targets: inbox p95 < 150 ms, open p95 < 100 ms, login < 1000 ms "
        "(Argon2id 64 MiB, 3 passes)"
    )


if __name__ == "__main__":
    main()
