"""Soak: reporters and staff through nginx for minutes, on the whole stack of this machine.

bench/stack.py starts PostgreSQL, Redis, gunicorn (deploy/gunicorn.conf.py), one Celery
worker and nginx. Reporters (threads of this script) come through the onion listener,
each visit on a new Tor "circuit" (a PROXY protocol line naming it, as Tor's
HiddenServiceExportCircuitID does), so the per-client limits count each visit apart,
as they would count 50 families. The global budget of submissions per minute
(INTAKE_SUBMISSIONS_PER_MINUTE, 30 by default) is raised for the run: the bench
measures how many the machine can take, not the budget. Each visit: home page, form,
send (receipt), "I wrote it down", then a return visit with the receipt (the receipt
form, then the status page). Staff (5 intake members) sign in through the clear-web
listener with password and TOTP, then open the inbox and a report, again and again.

Prints submissions/s, p50/p95/p99 per page, errors (must be 0), receipts given and
reports stored (must be equal), and for every process of the stack: RSS and PSS after a
warm-up and at the end (growth must stay within 10%), and CPU seconds used.
Run: .venv/bin/python bench/soak.py [--duration 600] [--reporters 50] [--staff 5]
     [--database-url postgres://.../NAME (emptied; default: a private cluster)]
"""

from __future__ import annotations

import argparse
import collections
import html
import os
import random
import re
import secrets
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django_otp.oath import totp

from bench.stack import HOST, PASSWORD, Listener, Sample, Stack, sample
from tests.reports import report_form_data

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_ID = re.compile(r'name="form_id" value="([^"]+)"')
RECEIPT = re.compile(r'class="receipt"[^>]*>([0-9 ]+)<')
TLS = ssl.create_default_context()
TLS.check_hostname = False  # the run's own self-signed certificate
TLS.verify_mode = ssl.CERT_NONE
REPORT_LINK = re.compile(r'href="(/staff/reports/[0-9a-f-]{36}/)"')


RETRIED = [0]  # requests sent again on a new connection (a kept-alive one was closed)
RETRIED_LOCK = threading.Lock()


class Failed(Exception):
    """A page that did not answer as a user expects."""


class Browser:
    """One visitor: cookies of its own, one keep-alive connection to nginx. Through the
    onion listener, the connection starts with a PROXY line naming its circuit."""

    def __init__(self, listener: Listener, circuit: int | None = None, source: str = HOST) -> None:
        self.listener, self.circuit, self.source = listener, circuit, source
        self.cookies: dict[str, str] = {}
        self.conn: socket.socket | None = None
        self.used = False  # the connection has carried an answer already

    def connect(self) -> socket.socket:
        nginx = (HOST, self.listener.port)
        conn = socket.create_connection(nginx, timeout=120, source_address=(self.source, 0))
        if self.circuit is not None:
            # The address Tor gives a circuit (HiddenServiceExportCircuitID haproxy).
            n = self.circuit
            address = f"fc00:dead:beef:4dad::{n >> 16:x}:{n & 0xFFFF:x}"
            conn.sendall(f"PROXY TCP6 {address} ::1 {1 + n % 65535} 80\r\n".encode())
        if self.listener.tls:
            return TLS.wrap_socket(conn, server_hostname=self.listener.host)
        return conn

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(fields or {}).encode()
        host = self.listener.host
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            head += [
                f"Origin: {self.listener.origin}",
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in (0, 1):  # nginx may have closed an idle keep-alive connection
            if self.conn is None:
                self.conn = self.connect()
            try:
                self.conn.sendall(data)
                answer = self.read()
                self.used = self.conn is not None  # read() closes it on "Connection: close"
                return answer
            except (OSError, Failed):
                reused = self.conn is not None and self.used
                self.close()
                if attempt or not reused:
                    raise
                # As browsers do when a kept-alive connection was closed under them.
                with RETRIED_LOCK:
                    RETRIED[0] += 1
        raise AssertionError("unreachable")

    def read(self) -> tuple[int, str]:
        assert self.conn is not None
        reader = self.conn.makefile("rb")
        status_line = reader.readline()
        if not status_line:
            raise Failed("connection closed")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while (line := reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key] = val
        if chunked:
            parts = []
            while size := int(reader.readline().split(b";")[0], 16):
                parts.append(reader.read(size))
                reader.readline()
            reader.readline()
            body = b"".join(parts)
        else:
            body = reader.read(length)
        if close:
            self.close()
        return status, body.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.used = False


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter = collections.Counter()
        self.receipts = 0

    def page(self, browser: Browser, name: str, method: str, path: str, want: int, **kw) -> str:
        start = time.perf_counter()
        try:
            status, body = browser.request(method, path, kw.get("fields"))
        except (OSError, Failed, ValueError) as exc:
            self.error(name, type(exc).__name__)
            raise Failed(name) from exc
        took = time.perf_counter() - start
        with self.lock:
            self.times[name].append(took)
        if status != want:
            self.error(name, f"HTTP {status}")
            raise Failed(name)
        return body

    def error(self, name: str, what: str) -> None:
        with self.lock:
            self.errors[f"{name}: {what}"] += 1


def found(pattern: re.Pattern, body: str, tally: Tally, page: str) -> str:
    match = pattern.search(body)
    if not match:
        tally.error(page, f"no {pattern.pattern[:20]}... on the page")
        raise Failed(page)
    return html.unescape(match.group(1))


def reporter(stack: Stack, tally: Tally, stop: threading.Event, circuits) -> None:
    while not stop.is_set():
        browser = Browser(stack.onion, next(circuits))
        try:
            tally.page(browser, "home", "GET", "/en/", 200)
            form = tally.page(browser, "form", "GET", "/en/report/", 200)
            fields = report_form_data(
                csrfmiddlewaretoken=found(TOKEN, form, tally, "form"),
                form_id=found(FORM_ID, form, tally, "form"),
                narrative=f"Soak visit {secrets.token_hex(8)}. " * random.randint(1, 40),
            )
            page = tally.page(browser, "send (receipt)", "POST", "/en/report/", 200, fields=fields)
            receipt = found(RECEIPT, page, tally, "send (receipt)")
            with tally.lock:
                tally.receipts += 1
            token = found(TOKEN, page, tally, "send (receipt)")
            tally.page(
                browser,
                "receipt noted",
                "POST",
                "/en/receipt/noted/",
                200,
                fields={"csrfmiddlewaretoken": token},
            )
            browser.close()
            browser = Browser(stack.onion, next(circuits))  # comes back another day
            page = tally.page(browser, "return: receipt form", "GET", "/en/receipt/", 200)
            token = found(TOKEN, page, tally, "return: receipt form")
            fields = {"csrfmiddlewaretoken": token, "receipt": receipt}
            page = tally.page(browser, "return: status", "POST", "/en/receipt/", 200, fields=fields)
            if receipt.replace(" ", "") not in page.replace(" ", ""):
                tally.error("return: status", "not the reporter's report")
        except Failed:
            time.sleep(0.5)
        finally:
            browser.close()


def sign_in(stack: Stack, tally: Tally, username: str, source: str = HOST) -> Browser:
    """A staff member's browser, signed in. Each comes from an address of its own (on
    the loopback network), as staff do: nginx limits requests per address."""
    browser = Browser(stack.web, source=source)
    page = tally.page(browser, "staff: sign-in page", "GET", "/staff/login/", 200)
    fields = {
        "csrfmiddlewaretoken": found(TOKEN, page, tally, "staff: sign-in page"),
        "username": username,
        "password": PASSWORD,
    }
    tally.page(browser, "staff: password", "POST", "/staff/login/", 302, fields=fields)
    page = tally.page(browser, "staff: code page", "GET", "/staff/verify/", 200)
    code = f"{totp(stack.seeds[username]):06d}"
    fields = {"csrfmiddlewaretoken": found(TOKEN, page, tally, "staff: code page"), "code": code}
    tally.page(browser, "staff: TOTP code", "POST", "/staff/verify/", 302, fields=fields)
    return browser


def staff_member(stack: Stack, tally: Tally, stop: threading.Event, browser: Browser) -> None:
    while not stop.is_set():
        try:
            inbox = tally.page(browser, "staff: inbox", "GET", "/staff/reports/", 200)
            links = REPORT_LINK.findall(inbox)
            if links:
                tally.page(browser, "staff: open report", "GET", random.choice(links), 200)
            else:
                time.sleep(0.5)
        except Failed:
            time.sleep(0.5)


def snapshot(stack: Stack) -> dict[tuple[str, int], Sample]:
    taken = {}
    for part, pids in stack.processes().items():
        for pid in pids:
            if (s := sample(pid)) is not None:
                taken[(part, pid)] = s
    return taken


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def print_processes(start: dict, end: dict, seconds: float) -> bool:
    """Per process and per part: RSS at start (after the warm-up) and end, growth, PSS
    and CPU. Growth is judged on RSS without shared memory: a PostgreSQL backend's RSS
    grows as it touches more of the shared buffers, which are allocated once for all.
    True when every part grew by 10% or less."""
    print(
        f"\n{'process':<26} {'RSS start':>9} {'RSS end':>8} {'growth*':>7} {'PSS end':>8} "
        f"{'CPU s':>7} {'CPU %':>6}"
    )
    parts: dict[str, list] = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0.0])
    for (part, pid), last in sorted(end.items()):
        first = start.get((part, pid))
        cpu = last.cpu - (first.cpu if first else 0.0)
        rss0, own0 = (first.rss, first.rss - first.shmem) if first else (0, 0)
        own1 = last.rss - last.shmem
        growth = f"{(own1 - own0) / own0 * 100:+.1f}%" if own0 else "new"
        print(
            f"{part + ' ' + str(pid):<26} {rss0 / 1024:>8.0f}M {last.rss / 1024:>7.0f}M "
            f"{growth:>7} {last.pss / 1024:>7.0f}M {cpu:>7.1f} {cpu / seconds * 100:>5.0f}%"
        )
        for n, value in enumerate((rss0, last.rss, own0, own1, last.pss, cpu)):
            parts[part][n] += value
    for (part, pid), first in start.items():
        if (part, pid) not in end:
            print(f"{part + ' ' + str(pid):<26} {first.rss / 1024:>8.0f}M {'gone':>8}")
            parts[part][0] += first.rss
            parts[part][2] += first.rss - first.shmem
    ok = True
    print(
        f"\n{'part (all its processes)':<26} {'RSS start':>9} {'RSS end':>8} {'growth*':>7} "
        f"{'PSS end':>8} {'CPU s':>7} {'cores':>6}"
    )
    for part, (rss0, rss1, own0, own1, pss1, cpu) in parts.items():
        grew = (own1 - own0) / own0 * 100 if own0 else 0.0
        ok &= grew <= 10
        print(
            f"{part:<26} {rss0 / 1024:>8.0f}M {rss1 / 1024:>7.0f}M {grew:>+6.1f}% "
            f"{pss1 / 1024:>7.0f}M {cpu:>7.1f} {cpu / seconds:>6.2f}"
        )
    print("* growth of RSS without shared memory (RssShmem), from the end of the warm-up")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=600, help="seconds of load after warm-up")
    parser.add_argument("--warmup", type=int, default=0, help="seconds (default: duration/10)")
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--staff", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--database-url", default="", help="a database to empty and use")
    opts = parser.parse_args()
    warmup = opts.warmup or max(10, opts.duration // 10)
    limits = {"INTAKE_SUBMISSIONS_PER_MINUTE": str(10**6)}
    stack = Stack(
        workers=opts.workers, staff=opts.staff, database_url=opts.database_url, limits=limits
    )
    try:
        stack.start()
        run(stack, opts, warmup)
    finally:
        stack.close()


def run(stack: Stack, opts, warmup: int) -> None:
    tally, stop = Tally(), threading.Event()
    counter = iter(range(1, 10**9))
    lock = threading.Lock()

    def circuits():
        while True:
            with lock:
                yield next(counter)

    circuit_source = circuits()
    staff = [  # one at a time
        sign_in(stack, tally, name, f"127.0.1.{n + 1}")
        for n, name in enumerate(sorted(stack.seeds))
    ]
    signins = {k: v[:] for k, v in tally.times.items()}
    threads = [
        threading.Thread(target=reporter, args=(stack, tally, stop, circuit_source))
        for _ in range(opts.reporters)
    ]
    threads += [threading.Thread(target=staff_member, args=(stack, tally, stop, b)) for b in staff]
    print(
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
        f"gunicorn {opts.workers} sync workers, 1 Celery worker, Redis, PostgreSQL "
        f"({'private cluster, fsync on' if stack.cluster else stack.database_url}); "
        f"{opts.reporters} reporters, {opts.staff} staff; warm-up {warmup} s, "
        f"measured {opts.duration} s; INTAKE_SUBMISSIONS_PER_MINUTE raised for the run; "
        f"{stack.describe_nginx()}",
        flush=True,
    )
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    with tally.lock:
        tally.times = collections.defaultdict(list)
        receipts_before = tally.receipts
    before, client_before, started = snapshot(stack), time.process_time(), time.monotonic()
    loads = []
    while time.monotonic() - started < opts.duration:
        time.sleep(min(30, opts.duration - (time.monotonic() - started)))
        loads.append(os.getloadavg()[0])
    after, elapsed = snapshot(stack), time.monotonic() - started
    with tally.lock:
        times = {k: v[:] for k, v in tally.times.items()}
        sent = tally.receipts - receipts_before
    client_cpu = time.process_time() - client_before
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    stored = stack.count("intake_report")

    print(
        f"\nSubmissions: {sent / elapsed:.2f}/s over {elapsed:.0f} s ({sent} receipts); "
        f"load average during the run: min {min(loads):.2f}, max {max(loads):.2f}"
    )
    print(f"\n{'page':<24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in [*signins.items(), *times.items()]:
        print(
            f"{name:<24} {len(values):>7} {percentile(values, 50):>8.0f} "
            f"{percentile(values, 95):>8.0f} {percentile(values, 99):>8.0f}"
        )
    errors = sum(tally.errors.values())
    print(f"\nErrors: {errors} {dict(tally.errors) if errors else ''}")
    print(f"Requests sent again after nginx closed a kept-alive connection: {RETRIED[0]}")
    print(
        f"Receipts given: {tally.receipts}; reports stored: {stored} "
        f"({'equal' if stored == tally.receipts else 'NOT EQUAL'})"
    )
    logged = stack.errors_logged()
    print(
        f"Error lines the servers wrote: {len(logged)}"
        + "".join(f"\n  {ln[:200]}" for ln in logged[-10:])
    )
    growth_ok = print_processes(before, after, elapsed)
    if stack.redis is not None:
        # Redis grows with the counters of new clients, each gone within the hour.
        info = subprocess.run(
            ["redis-cli", "-p", str(stack.redis.port), "info", "keyspace"],
            capture_output=True,
            text=True,
        ).stdout.split("\n")
        print(f"Redis at the end: {' '.join(ln.strip() for ln in info if ln.startswith('db'))}")
    print(
        f"\nThis script's own CPU (the clients): {client_cpu:.0f} s "
        f"({client_cpu / elapsed:.2f} cores)"
    )
    server_cpu = sum(s.cpu for s in after.values()) - sum(
        s.cpu for key, s in before.items() if key in after
    )
    if sent:
        print(
            f"Server CPU per reporter visit (home, form, send, noted, return visit): "
            f"{server_cpu / sent:.3f} s, staff pages included"
        )
    verdict = errors == 0 and not logged and stored == tally.receipts and growth_ok
    print(f"Verdict: {'PASS' if verdict else 'FAIL'} (0 errors, receipts = reports, growth <= 10%)")


if __name__ == "__main__":
    main()
