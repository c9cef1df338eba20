"""What giving and taking keys costs, on PostgreSQL.

Measures accounts.keyring and cases.case_keys through the services: assigning a report
that belongs to a person (its key, the person's and the other reports' are wrapped),
linking a report to a person, and a change of role that drops every wrapping an intake
member received (one DELETE per kind, one audit entry naming them).
Run: .venv/bin/python bench/keys.py [--reports 5000]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "amanat_bench_keys"
os.environ.update(
    AMANAT_ENV="test",
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
)
os.environ.pop("REDIS_URL", None)
PASSWORD = "bench-pass-for-keys-1"  # noqa: S105 - a throwaway bench database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    opts = parser.parse_args()
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import crypto
    from accounts import people, services
    from accounts.models import Role
    from cases import persons
    from cases import services as cases
    from intake import sealing as intake
    from intake.models import Report, ReportKey
    from intake.submission import intake_holders

    result = services.bootstrap("Bench", "coordinator", PASSWORD)
    ckey = services.unlock_private_key(result.coordinator, PASSWORD)
    intake_team = [
        services.add_staff(f"intake{n}", Role.INTAKE, PASSWORD, result.coordinator, ckey)
        for n in range(5)
    ]
    cara = services.add_staff("cara", Role.CASEWORKER, PASSWORD, result.coordinator, ckey)
    ines, ines_key = intake_team[0], services.unlock_private_key(intake_team[0], PASSWORD)
    recipients = intake_holders()

    # Reports as submission stores them (one wrapping per intake member and the recovery key).
    started = time.perf_counter()
    reporter = crypto.PrivateKey.generate().public_key()
    ids = []
    for _ in range(opts.reports):
        report_id, dek = uuid.uuid4(), crypto.new_key()
        content = b'{"missing": {"names": [{"name": "Bench", "script": "latin"}]}}'
        Report.objects.create(
            id=report_id,
            language="en",
            consent="internal",
            schema_version=1,
            sealed_content=crypto.seal(dek, content, intake.content_aad(report_id)),
            receipt_lookup=uuid.uuid4().hex + uuid.uuid4().hex,
            reporter_public_key=reporter.to_bytes(),
            reporter_key=crypto.wrap(dek, reporter, intake.reporter_key_info(report_id)),
        )
        ReportKey.objects.bulk_create(
            ReportKey(
                report_id=report_id,
                holder_id=r.holder_id,
                wrapped=crypto.wrap(dek, r.public, intake.key_info(report_id, r.holder_id)),
            )
            for r in recipients
        )
        ids.append(report_id)
    print(
        f"{opts.reports} reports, {len(recipients)} wrappings each, in "
        f"{time.perf_counter() - started:.0f} s"
    )

    def timed(label: str, runs: list) -> None:
        runs.sort()
        print(
            f"{label:<52} p50 {runs[len(runs) // 2] * 1000:7.1f} ms  "
            f"max {runs[-1] * 1000:7.1f} ms  ({len(runs)} runs)"
        )

    triage, link, assign = [], [], []
    for n in range(0, 60, 2):
        t = time.perf_counter()
        person = persons.create_from_report(ines, ines_key, ids[n], "unverified")
        triage.append(time.perf_counter() - t)
        t = time.perf_counter()
        persons.link_report(ines, ines_key, ids[n + 1], person.number)
        link.append(time.perf_counter() - t)
        t = time.perf_counter()
        cases.assign(ines, ines_key, ids[n], cara)
        assign.append(time.perf_counter() - t)
    timed("triage (person key to the 6 report holders)", triage)
    timed("link a second report (person key to its 6 holders)", link)
    timed("assign a 2-report case (3 keys to 1 holder)", assign)

    t = time.perf_counter()
    people.change_role(result.coordinator, ckey, intake_team[1], Role.REVIEWER)
    print(
        f"{'intake -> reviewer, dropping ' + str(opts.reports) + ' report wrappings':<52} "
        f"{(time.perf_counter() - t) * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    main()
