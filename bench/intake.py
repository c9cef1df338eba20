"""Encrypted submissions per second through the real stack.

gunicorn + PostgreSQL (+ Redis broker and a Celery worker for the notices), an
organisation with 5 intake key holders plus the recovery key, and 1, 4 and 50
concurrent clients (threads of this script) posting the public form. In the same
run, the reference: a plain view on the same stack that validates the same form
and saves one unencrypted row. Then a burst: 200 submissions from 50 clients behind
one shared address (the proxy names each), with the production limits: how many got
through, how many saw the "try again in a few minutes" page, and server errors (none).
Run: .venv/bin/python bench/intake.py [--seconds 10] [--workers 3] [--clients 1,4,50]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
DB = "amanat_bench"
PORT = 8765


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AMANAT_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        RECEIPT_PEPPER=secrets.token_hex(32),
        RATELIMIT_SECRET=secrets.token_hex(32),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        REDIS_URL="redis://127.0.0.1:6379/14",
        ALLOWED_HOSTS="127.0.0.1",
        OTP_WEBAUTHN_RP_ID="localhost",
        SECURE_SSL_REDIRECT="false",
        INTAKE_SUBMISSIONS_PER_HOUR=str(10**9),
        INTAKE_SUBMISSIONS_PER_MINUTE=str(10**9),
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
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None, "the form page has no CSRF token"
    token = found.group(1)
    cookie = next(c.value or "" for c in jar if c.name == "csrftoken")
    return token, cookie


def load(host: str, path: str, fields: dict, cookie: str, clients: int, seconds: float) -> dict:
    """clients threads posting the form back to back for `seconds`, each with a fresh
    form id (as a reporter's browser would have); one connection per request, as
    gunicorn's sync workers close it. The request is built once and only the form id
    changes, so the client spends little of the machine's two cores."""
    statuses: collections.Counter = collections.Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    hostname, port = host.split(":")
    marker = "F" * 22  # the length of secrets.token_urlsafe(16)
    body = urllib.parse.urlencode({**fields, "form_id": marker}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Cookie: csrftoken={cookie}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    template = head + body

    def post() -> int | str:
        request = template.replace(marker.encode(), secrets.token_urlsafe(16).encode(), 1)
        try:
            with socket.create_connection((hostname, int(port)), timeout=60) as conn:
                conn.sendall(request)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
        except OSError as exc:
            return type(exc).__name__
        reply = b"".join(chunks)
        try:
            return int(reply.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return "malformed reply"

    def client() -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status = post()
            with lock:
                statuses[status] += 1
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    ok = statuses.get(200, 0)
    return {
        "rps": ok / elapsed,
        "errors": sum(statuses.values()) - ok,
        "statuses": dict(statuses),
        "p50": f"{latencies[len(latencies) // 2] * 1000:.0f}ms",
        "p99": f"{latencies[int(len(latencies) * 0.99)] * 1000:.0f}ms",
    }


def where_time_goes(env: dict[str, str], fields: dict, cookie: str, n: int = 400) -> None:
    """Where one submission's time goes: real submissions through Django in this
    process (no HTTP server), on the same PostgreSQL and Redis, with a timer around
    each part. What is left is Django itself: parsing, middleware, URL routing."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db.models.query import QuerySet
    from django.db.transaction import Atomic

    import crypto
    from intake import forms, receipts, submission, views

    totals: dict[str, float] = collections.defaultdict(float)

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[label] += time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(submission, "intake_holders", "database: who may open it (one query)")
    timed(QuerySet, "create", "database: insert the report and its form id")
    timed(QuerySet, "bulk_create", "database: insert its 6 wrapped keys")
    timed(Atomic, "__exit__", "database: commit")
    timed(receipts, "derive", "receipt: Argon2id, lookup, reporter key pair")
    timed(crypto, "wrap", "HPKE: wrap the data key 7 times")
    timed(views, "render", "render the receipt page")
    timed(forms.ReportForm, "is_valid", "validate the form")
    timed(views.ratelimit, "admit_submission", "Redis: rate limits (global budget)")

    app = WSGIHandler()
    body_fields = {k: v for k, v in fields.items() if k != "form_id"}

    def submit() -> None:
        body = urllib.parse.urlencode({**body_fields, "form_id": secrets.token_urlsafe(16)})
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/en/report/",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(PORT),
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body.encode()),
            "wsgi.errors": sys.stderr,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": f"csrftoken={cookie}",
        }
        statuses: list[str] = []

        def start_response(status: str, headers: Any, *rest: Any) -> Any:
            statuses.append(status)

        b"".join(app(environ, start_response))
        assert statuses[0].startswith("200"), statuses

    for _ in range(30):
        submit()
    totals.clear()
    start = time.perf_counter()
    for _ in range(n):
        submit()
    total = (time.perf_counter() - start) / n * 1e3
    print(f"\nWhere a submission's time goes (in this process, mean of {n}, no HTTP server):")
    for label, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {label:<48} {seconds / n * 1e3:6.2f} ms")
    rest = total - sum(totals.values()) / n * 1e3
    print(f"  {'Django itself: parsing, middleware, routing':<48} {rest:6.2f} ms")
    print(f"  {'total':<48} {total:6.2f} ms")


def burst(host: str, fields: dict, cookie: str, clients: int = 50, total: int = 200) -> dict:
    """`total` submissions at once from `clients` reporters behind one shared address
    (the proxy names each in its header), with the production limits. What each
    reporter saw: a receipt, the "try again in a few minutes" page, the per-client
    refusal, or anything else (a server error)."""
    seen: collections.Counter = collections.Counter()
    lock = threading.Lock()
    hostname, port = host.split(":")

    def post(client_id: int) -> str:
        body = urllib.parse.urlencode({**fields, "form_id": secrets.token_urlsafe(16)}).encode()
        request = (
            f"POST /en/report/ HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"X-Amanat-Client: bench-client-{client_id}\r\n"
            f"Cookie: csrftoken={cookie}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode() + body
        try:
            with socket.create_connection((hostname, int(port)), timeout=120) as conn:
                conn.sendall(request)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
        except OSError as exc:
            return f"error: {type(exc).__name__}"
        reply = b"".join(chunks)
        status = reply.split(b" ", 2)[1] if reply.count(b" ") >= 2 else b"?"
        if status == b"200" and b"This is your receipt" in reply:
            return "stored"
        if status == b"429" and b"Many reports are arriving" in reply:
            return "try again"
        if status == b"429" and b"Too many reports" in reply:
            return "per-client limit"
        return f"error: {status.decode(errors='replace')}"

    def client(client_id: int) -> None:
        for _ in range(total // clients):
            outcome = post(client_id)
            with lock:
                seen[outcome] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seen": seen, "seconds": time.monotonic() - started}


def serve(env: dict[str, str], workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            *(str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"),
            *("-w", str(workers), "-b", f"127.0.0.1:{PORT}", "--backlog", "2048"),
            *("--log-level", "warning"),
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz")
            return
        except OSError:
            time.sleep(0.2)


def report_burst(env: dict[str, str], workers: int, fields: dict, cookie: str) -> None:
    """The burst line, on a server with the production limits (the runs above lift them)."""
    limited = {k: v for k, v in env.items() if not k.startswith("INTAKE_SUBMISSIONS_")}
    run(["redis-cli", "-n", "14", "flushdb"], env)
    server = serve(limited, workers)
    try:
        wait_until_up(f"http://127.0.0.1:{PORT}")
        before = count_rows(env, "intake_report")
        result = burst(f"127.0.0.1:{PORT}", fields, cookie)
        stored = count_rows(env, "intake_report") - before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    seen = result["seen"]
    errors = sum(n for outcome, n in seen.items() if outcome.startswith("error"))
    print(
        f"Burst: 200 submissions from 50 clients behind one shared address, default limits, "
        f"{result['seconds']:.1f} s: {seen['stored']} got through ({stored} reports stored), "
        f"{seen['try again']} saw the 'try again in a few minutes' page, "
        f"{seen['per-client limit']} the per-client limit, {errors} server errors "
        f"{dict(seen)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", default="1,4,50", help="concurrency levels, e.g. 1,4,50")
    opts = parser.parse_args()
    for tool in ("psql", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install postgresql-client redis-tools)")
    env = environment()
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}"], env)
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DB}"], env)
    run(["redis-cli", "-n", "14", "flushdb"], env)
    run([str(VENV_BIN / "python"), "manage.py", "migrate", "--no-input"], env)
    run([str(VENV_BIN / "python"), "-c", SETUP], env)

    server = serve(env, opts.workers)
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
        wait_until_up(base)
        token, cookie = csrf_pair(base)
        from tests.reports import report_form_data

        fields = report_form_data(csrfmiddlewaretoken=token)
        print(
            f"Machine: {os.cpu_count()} cores; gunicorn {opts.workers} sync workers; "
            f"PostgreSQL, Redis, 1 Celery worker; {opts.seconds} s per run; "
            "load from client threads in this process"
        )
        print(
            f"{'clients':>7} | {'encrypted/s':>11} {'errors':>6} {'p50':>8} {'p99':>8} | "
            f"{'plain/s':>8} {'errors':>6} | ratio"
        )
        stored_before = count_rows(env, "intake_report")
        ok_total = 0
        for clients in [int(level) for level in opts.clients.split(",")]:
            host = f"127.0.0.1:{PORT}"
            enc = load(host, "/en/report/", fields, cookie, clients, opts.seconds)
            plain = load(host, "/bench/plain/", fields, cookie, clients, opts.seconds)
            ok_total += enc["statuses"].get(200, 0)
            print(
                f"{clients:>7} | {enc['rps']:>11.1f} {enc['errors']:>6} {enc['p50']:>8} "
                f"{enc['p99']:>8} | {plain['rps']:>8.1f} {plain['errors']:>6} | "
                f"{enc['rps'] / plain['rps']:.2f}"
            )
        stored = count_rows(env, "intake_report") - stored_before
        print(f"Reports stored: {stored} (the client counted {ok_total} answered with a receipt)")
        wrapped = count_rows(env, "intake_reportkey")
        print(f"Wrapped keys stored: {wrapped} ({wrapped / max(stored, 1):.1f} per report)")
    finally:
        for proc in (server, worker):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    report_burst(env, opts.workers, fields, cookie)
    try:
        where_time_goes(env, fields, cookie)
    finally:
        shutil.rmtree(env["SEALED_STORAGE_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
