"""Staff sign-in under a flood: how many Argon2id derivations get through, and what a
refused attempt costs compared with one that derives.

Through the real view (Django's test client in this process) on a throwaway SQLite
database, with the default limits (accounts/throttle.py). Derivations are counted with
crypto.kdf.observe. Run: .venv/bin/python bench/signin.py [--attempts 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="amanat-bench-signin-")
os.environ.update(
    AMANAT_ENV="test",
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3",
    AMANAT_DATA_DIR=TMP,
)
os.environ.pop("REDIS_URL", None)  # the in-process cache: nothing shared to reset

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from accounts import services, throttle  # noqa: E402
from crypto import kdf  # noqa: E402

PASSWORD = "cara-bench-pass-123"  # noqa: S105 - a throwaway database


def flood(attempts: int, addresses: list[str], threads: int) -> None:
    """POST wrong passwords from `threads` browsers at once and print what happened."""
    derived: list[object] = []
    stop = kdf.observe(derived.append)
    times: dict[int, list[float]] = {}

    def one(n: int) -> None:
        start = time.perf_counter()
        response = Client().post(
            "/staff/login/",
            {"username": f"guess{n % 7}", "password": "not-the-password"},
            REMOTE_ADDR=addresses[n % len(addresses)],
        )
        times.setdefault(response.status_code, []).append(time.perf_counter() - start)

    start = time.perf_counter()
    try:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, range(attempts)))
    finally:
        stop()
        connections.close_all()
    took = time.perf_counter() - start
    print(f"   Argon2id derivations run: {len(derived)} in {took:.1f} s")
    for status, seen in sorted(times.items()):
        median = statistics.median(seen) * 1e3
        print(f"   HTTP {status}: {len(seen):4d} answers, {median:7.1f} ms median")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    services.bootstrap("Bench org", "cara", PASSWORD)
    print(f"limits: {throttle.limits()}")
    client = Client()

    cache.clear()
    print(f"== one client, {args.threads} requests at a time")
    flood(args.attempts, ["203.0.113.5"], args.threads)

    cache.clear()
    print(f"== {args.attempts} clients, one attempt each, {args.threads} at a time")
    flood(args.attempts, [f"198.51.100.{n % 250}" for n in range(args.attempts)], args.threads)
    response = client.post(
        "/staff/login/", {"username": "cara", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    print(f"   the real user right after, from her own address: HTTP {response.status_code}")
    wait = throttle.limits().global_window
    time.sleep(wait)
    response = client.post(
        "/staff/login/", {"username": "cara", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    print(f"   and {wait} s later (the next global window): HTTP {response.status_code}")


if __name__ == "__main__":
    main()
