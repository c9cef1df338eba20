"""The staff side at scale: 100,000 sealed reports on PostgreSQL.

Measures, through the real views (Django's test client in this process, against
PostgreSQL): the inbox page (names decrypted for the page's 50 rows), opening a
report, and signing in (password unlocks the Argon2id key, then TOTP).
The inbox is measured unfiltered, filtered (status and language, and "assigned to me"),
sorted by last activity, and searched by case number and by report id prefix.
Run: .venv/bin/python bench/staff.py [--reports 100000] [--db NAME] [--reuse]
(--reuse keeps a database built by an earlier run and only migrates it).
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
DB = next(
    (arg.split("=", 1)[1] for arg in sys.argv if arg.startswith("--db=")), "amanat_bench_staff"
)
os.environ.update(
    AMANAT_ENV="test",
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
)
LANGUAGES = ["en", "ug", "kk", "ru", "tr", "zh-hans"]
STATUSES = ["received"] * 5 + ["in-review"] * 3 + ["followed"] * 2 + ["closed"]
CONSENTS = ["internal", "un-confidential", "un-named", "partners", "publish-name", "public"]
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


def build(opts, services, Role):
    """Bootstrap, two staff members and the sealed reports, with varied workflow fields."""
    from django.db import connection

    import crypto
    from intake.models import Region, Report, ReportKey

    result = services.bootstrap("Bench", "coordinator", "coordinator-bench-pass-1")
    ckey = services.unlock_private_key(result.coordinator, "coordinator-bench-pass-1")
    ines = services.add_staff("ines", Role.INTAKE, PASSWORD["ines"], result.coordinator, ckey)
    services.add_staff("cara", Role.CASEWORKER, PASSWORD["cara"], result.coordinator, ckey)
    holders = [
        (ines.holder_id.hex, bytes(ines.holder.public_key).hex()),
        (
            result.organisation.recovery_holder_id.hex,
            bytes(result.organisation.recovery_holder.public_key).hex(),
        ),
    ]
    reporter_public = crypto.PrivateKey.generate().public_key()
    regions = list(Region.values)

    started = time.perf_counter()
    batch = 2000
    jobs = [(batch, holders, reporter_public.to_bytes().hex())] * (opts.reports // batch)
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for rows in pool.map(sealed_batch, jobs):
            Report.objects.bulk_create(
                [
                    Report(
                        id=uuid.UUID(r[0]),
                        language=random.choice(LANGUAGES),
                        consent=random.choice(CONSENTS),
                        region=random.choice(regions),
                        status=random.choice(STATUSES),
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
    print(
        f"Built {opts.reports} sealed reports with their wrappings in "
        f"{time.perf_counter() - started:.0f} s"
    )
    with connection.cursor() as cursor:
        # The last day with activity, and an unread reporter reply on one report in 50.
        cursor.execute(
            "UPDATE intake_report SET active_on = received_on + (random() * 60)::int, "
            "replied_on = CASE WHEN random() < 0.02 THEN received_on + 1 END"
        )

    # The caseworker holds 200 of them (assigned by intake), and 300 cases are opened.
    from accounts.models import Staff
    from cases import persons
    from cases import services as cases

    cara = Staff.objects.get(username="cara")
    ines_key = services.unlock_private_key(ines, PASSWORD["ines"])
    for report_id in Report.objects.order_by("?").values_list("id", flat=True)[:200]:
        cases.assign(ines, ines_key, report_id, cara)
    for report_id in Report.objects.order_by("?").values_list("id", flat=True)[:300]:
        persons.create_from_report(ines, ines_key, report_id, "unverified")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", default=DB, help="database name (dropped and rebuilt)")
    parser.add_argument("--reuse", action="store_true", help="keep a database built before")
    opts = parser.parse_args()
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DB}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    fresh = not (opts.reuse and exists)
    if fresh:
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

    from accounts import second_factor, services
    from accounts.models import Role, SealedTOTPDevice, Staff
    from cases.models import Person
    from intake.models import Report

    if fresh:
        build(opts, services, Role)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    ines, cara = Staff.objects.get(username="ines"), Staff.objects.get(username="cara")
    total = Report.objects.count()

    def sign_in(client, staff):
        SealedTOTPDevice.objects.filter(user=staff).delete()  # from an earlier run (--reuse)
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

    def timed(client, urls, runs):
        times = []
        for n in range(runs):
            url = urls(n)
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        return f"p50 {percentile(times, 50):6.1f} p95 {percentile(times, 95):6.1f}"

    print(
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"PostgreSQL on the same machine; times in ms"
    )

    def run(staff, label):
        client = Client()
        login = sign_in(client, staff)
        held = Report.objects.filter(keys__holder=staff.holder)
        sample = list(held.values_list("id", "received_on", "active_on").order_by("?")[:2000])
        numbers = list(
            Person.objects.filter(links__report__keys__holder=staff.holder).values_list(
                "number", flat=True
            )
        ) or [1]

        def deep(n, sort="received"):
            # One page in three is the first; the others start at a random report.
            if n % 3 == 0:
                return f"sort={sort}"
            report_id, received, active = random.choice(sample)
            day = received if sort == "received" else active
            return f"sort={sort}&before={day.isoformat()}_{report_id.hex}&page=2"

        base = "/staff/reports/"
        lines = {
            "inbox": lambda n: f"{base}?{deep(n)}",
            "inbox by last activity": lambda n: f"{base}?{deep(n, 'activity')}",
            "inbox filtered (status+language)": lambda n: (
                f"{base}?status=received&language={LANGUAGES[n % 6]}&{deep(n)}"
            ),
            "inbox filtered (assigned to me)": lambda n: f"{base}?assigned=me&{deep(n)}",
            "inbox filtered (replied)": lambda n: f"{base}?replied=1&{deep(n, 'activity')}",
            "search by case number": lambda n: f"{base}?q=%23{random.choice(numbers)}",
            "search by report id prefix": lambda n: f"{base}?q={random.choice(sample)[0].hex[:6]}",
            "open report": lambda n: f"{base}{random.choice(sample)[0]}/",
        }
        print(f"{label}: login {login * 1000:.0f}")
        for name, urls in lines.items():
            runs = 100 if name == "open report" else 60
            print(f"  {name:<34} {timed(client, urls, runs)}")

    run(ines, f"intake (holds all {total})")
    run(cara, "caseworker (holds 200)")
    print(
        "Targets: inbox p95 < 150 ms (every inbox and search line), open p95 < 100 ms, "
        "login < 1000 ms (Argon2id 64 MiB, 3 passes)"
    )


if __name__ == "__main__":
    main()
