"""Encrypted submissions per second through the real stack.

gunicorn + PostgreSQL (+ Redis broker and a Celery worker for the notices), an
organisation with 5 intake key holders plus the recovery key, and wrk posting the
public form at 1, 4 and 50 concurrent clients. In the same run, the reference: a
plain view on the same stack that validates the same form and saves one
unencrypted row. Run: .venv/bin/python bench/intake.py [--seconds 10] [--workers 3]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth), Redis on 127.0.0.1:6379 and wrk.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
DB = "amanat_bench"
PORT = 8765
LUA = """
local template = [[%s]]
local counter = 0
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
function request()
  counter = counter + 1
  local id = string.format("b%%d-%%d-%%d", tid, counter, math.random(1, 1000000000))
  local body = string.gsub(template, "FORMIDXX", id)
  return wrk.format("POST", "%s", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=%s",
    ["Connection"] = "close",
  }, body)
end
"""


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AMANAT_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        RECEIPT_PEPPER=secrets.token_hex(32),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        REDIS_URL="redis://127.0.0.1:6379/14",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        INTAKE_SUBMISSIONS_PER_HOUR=str(10**9),
        SEALED_STORAGE_DIR=tempfile.mkdtemp(prefix="amanat-bench-"),
        PYTHONPATH=str(ROOT),
    )
    return env


def run(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


SETUP = """
import django; django.setup()
from accounts import services
from accounts.models import Role
r = services.bootstrap("Bench", "coordinator", "coordinator-bench-pass-1")
key = services.unlock_private_key(r.coordinator, "coordinator-bench-pass-1")
for i in range(5):
    services.add_staff(f"intake{i}", Role.INTAKE, "intake-bench-pass-1", r.coordinator, key)
"""


def count_rows(env: dict[str, str], table: str) -> int:
    out = run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DB,
            "-tAc",
            f"SELECT count(*) FROM {table}",
        ],
        env,
    )
    return int(out.strip())


def csrf_pair(base: str) -> tuple[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/en/report/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return token, cookie


def wrk(url: str, path: str, body: str, cookie: str, clients: int, seconds: int) -> dict:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(LUA % (body, path, cookie))
    script.close()
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(clients, 2)),
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            script.name,
            url + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": total,
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(x) for x in sock.groups()) if sock else 0),
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
    }


def where_time_goes() -> None:
    """Per-part cost of one submission, measured alone in this process."""
    os.environ.setdefault("AMANAT_ENV", "test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    import crypto
    from intake import receipts
    from intake.forms import ReportForm
    from tests.reports import report_form_data

    def per_call(fn, n=200) -> float:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - start) / n * 1e6

    pk = crypto.PrivateKey.generate().public_key()
    dek = crypto.new_key()
    data = report_form_data()
    parts = {
        "receipt: peppered Argon2id, lookup, key pair": per_call(
            lambda: receipts.derive(receipts.new(), b"p" * 32), 100
        ),
        "7 HPKE wraps (5 intake, recovery, reporter)": 7
        * per_call(lambda: crypto.wrap(dek, pk, b"info")),
        "seal the report": per_call(lambda: crypto.seal(dek, b"x" * 2000, b"aad")),
        "form validation": per_call(lambda: ReportForm(data).is_valid()),
    }
    print("\nWhere a submission's time goes (one process, µs per submission):")
    for name, micros in parts.items():
        print(f"  {name:<46} {micros:9.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    opts = parser.parse_args()
    for tool in ("wrk", "psql", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install wrk postgresql-client redis-tools)")
    env = environment()
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}"], env)
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DB}"], env)
    run(["redis-cli", "-n", "14", "flushdb"], env)
    run([str(VENV_BIN / "python"), "manage.py", "migrate", "--no-input"], env)
    run([str(VENV_BIN / "python"), "-c", SETUP], env)

    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(opts.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "config", "worker", "-c", "1", "--loglevel", "WARNING"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        token, cookie = csrf_pair(base)
        sys.path.insert(0, str(ROOT))
        from tests.reports import report_form_data

        data = report_form_data(form_id="FORMIDXX", csrfmiddlewaretoken=token)
        body = urllib.parse.urlencode(data)
        print(
            f"Machine: {os.cpu_count()} cores; gunicorn {opts.workers} sync workers; "
            f"PostgreSQL, Redis, 1 Celery worker; {opts.seconds} s per run; wrk load"
        )
        print(
            f"{'clients':>7} | {'encrypted/s':>11} {'errors':>6} {'p50':>8} {'p99':>8} | "
            f"{'plain/s':>8} {'errors':>6} | ratio"
        )
        stored_before = count_rows(env, "intake_report")
        ok_total = 0
        for clients in (1, 4, 50):
            enc = wrk(base, "/en/report/", body, cookie, clients, opts.seconds)
            plain = wrk(base, "/bench/plain/", body, cookie, clients, opts.seconds)
            ok_total += enc["requests"] - enc["errors"]
            print(
                f"{clients:>7} | {enc['rps']:>11.1f} {enc['errors']:>6} {enc['p50']:>8} "
                f"{enc['p99']:>8} | {plain['rps']:>8.1f} {plain['errors']:>6} | "
                f"{enc['rps'] / plain['rps']:.2f}"
            )
        stored = count_rows(env, "intake_report") - stored_before
        print(f"Reports stored: {stored} (wrk counted {ok_total} successful submissions)")
        wrapped = count_rows(env, "intake_reportkey")
        print(f"Wrapped keys stored: {wrapped} ({wrapped / max(stored, 1):.1f} per report)")
    finally:
        for proc in (server, worker):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        shutil.rmtree(env["SEALED_STORAGE_DIR"], ignore_errors=True)
    where_time_goes()


if __name__ == "__main__":
    main()
