"""Sizing figures for docs/SCALING.md, measured on the whole stack (bench/stack.py).

1. CPU seconds per report submission: submissions posted through nginx (each on a new
   onion circuit) by a few clients, with the CPU every part of the stack used (from
   /proc), per submission; reports/s one web core can seal (1 / gunicorn's share).
2. Memory per gunicorn worker and per Celery worker after that load (RSS and PSS; PSS
   counts pages shared with the parent process once).
3. Disk per 100,000 reports: reports with realistic text (names from the labelled set's
   rules, narratives of 0 to 5,000 characters in Uyghur, Kazakh and English) and, for
   some, attachments, sealed and stored by intake.submission.submit in this process;
   then the tables and indexes (pg_total_relation_size, after VACUUM) and the sealed
   storage folder, scaled to 100,000 reports.
Run: .venv/bin/python bench/sizes.py [--reports 3000] [--posts 300] [--with-files 0.3]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import secrets
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.soak import RECEIPT, REPORT_LINK, TOKEN, Browser
from bench.stack import Stack, sample
from tests.reports import report_form_data

# Sentences a family might write, in the scripts reports arrive in (Cyrillic on purpose).
# ruff: noqa: RUF001
SENTENCES = [
    "ئۇ 2018-يىلى ئاپرېلدا ساقچىلار تەرىپىدىن ئېلىپ كېتىلدى، شۇندىن بېرى خەۋەر يوق. ",
    "Ол 2017 жылы Құлжада ұсталды, содан бері хабар жоқ. ",
    "We last spoke by phone in March; after that his number stopped working. ",
    "Qoshnilar uning lagérgha élip kétilgenlikini éytti. ",
    "Его забрали из дома ночью, семье ничего не сказали. ",
]


def narrative(rng: random.Random) -> str:
    """0 to 5,000 characters: a third short or empty, most a few paragraphs."""
    target = rng.choice([0, 0, 200, 600, 1200, 2000, 3000, 4900])
    text = ""
    while len(text) < target:
        text += rng.choice(SENTENCES)
    return text[:target]


def file_sizes(rng: random.Random, share: float) -> list[int]:
    """Attachments of one report: `share` of reports carry 1 to 3 files, sized like
    cleaned photos and scans (log-normal, median 250 kB, at most 20 MB)."""
    if rng.random() >= share:
        return []
    return [min(int(rng.lognormvariate(12.4, 1.0)), 20 << 20) for _ in range(rng.randint(1, 3))]


def cpu_of(stack: Stack) -> dict[str, float]:
    used: dict[str, float] = collections.defaultdict(float)
    for part, pids in stack.processes().items():
        for pid in pids:
            if (s := sample(pid)) is not None:
                used[part] += s.cpu
    return used


def post_load(stack: Stack, posts: int, clients: int) -> dict[str, float]:
    """`posts` submissions through nginx; returns CPU seconds per submission per part."""
    first = Browser(stack.onion, 1)
    status, page = first.request("GET", "/en/report/")
    token = TOKEN.search(page)
    assert status == 200 and token, "the form page did not load"
    cookies = dict(first.cookies)
    first.close()
    counter = iter(range(2, 10**9))
    lock = threading.Lock()
    stored = []

    def client() -> None:
        while True:
            with lock:
                circuit = next(counter)
                if circuit - 2 >= posts:
                    return
            browser = Browser(stack.onion, circuit)
            browser.cookies = dict(cookies)
            fields = report_form_data(csrfmiddlewaretoken=token.group(1))
            status, page = browser.request("POST", "/en/report/", fields)
            browser.close()
            with lock:
                stored.append(status == 200 and 'class="receipt"' in page)

    before = cpu_of(stack)
    start = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    time.sleep(2)  # the Celery worker's notices for the last ones
    after = cpu_of(stack)
    ok = sum(stored)
    print(
        f"{ok} of {posts} submissions answered with a receipt in {elapsed:.0f} s "
        f"({ok / elapsed:.1f}/s with {clients} clients)"
    )
    return {part: (after[part] - before.get(part, 0.0)) / max(ok, 1) for part in after}


def page_cpu(stack: Stack, staff: Browser, send: float, runs: int = 40) -> None:
    """CPU seconds each page of a visit costs the web workers (sequential requests)."""
    visitor = Browser(stack.onion, 10**8)
    _status, form = visitor.request("GET", "/en/report/")
    token = TOKEN.search(form).group(1)  # type: ignore[union-attr]
    fields = report_form_data(csrfmiddlewaretoken=token)
    _status, page = visitor.request("POST", "/en/report/", fields)
    receipt = RECEIPT.search(page).group(1)  # type: ignore[union-attr]
    _status, inbox = staff.request("GET", "/staff/reports/")
    report = REPORT_LINK.search(inbox).group(1)  # type: ignore[union-attr]
    back = {"csrfmiddlewaretoken": token, "receipt": receipt}
    pages = [
        ("home", visitor, "GET", "/en/", None),
        ("form", visitor, "GET", "/en/report/", None),
        ("receipt noted", visitor, "POST", "/en/receipt/noted/", {"csrfmiddlewaretoken": token}),
        ("return: receipt form", visitor, "GET", "/en/receipt/", None),
        ("return: status", visitor, "POST", "/en/receipt/", back),
        ("staff: inbox", staff, "GET", "/staff/reports/", None),
        ("staff: open report", staff, "GET", report, None),
    ]
    print(f"\nWeb CPU per page (gunicorn, {runs} sequential requests each):")
    visit = send
    for name, browser, method, path, data in pages:
        before = cpu_of(stack)["gunicorn"]
        for _ in range(runs):
            status, _page = browser.request(method, path, data)
            assert status == 200, (path, status)
            time.sleep(0.06)  # below nginx's 20 requests/s per client: CPU is what counts
        used = (cpu_of(stack)["gunicorn"] - before) / runs
        visit += used if not name.startswith("staff") else 0.0
        print(f"  {name:<22} {used * 1000:7.1f} ms")
    print(f"  {'send (from above)':<22} {send * 1000:7.1f} ms")
    print(
        f"  a reporter's visit (home, form, send, noted, receipt form, status): "
        f"{visit * 1000:.0f} ms, {1 / visit:.0f} visits/s per web core"
    )
    visitor.close()


def memory(stack: Stack) -> None:
    print("\nMemory after the load (MiB; PSS counts pages shared with the parent once):")
    for part in ("gunicorn", "celery"):
        pids = stack.processes()[part]
        for n, pid in enumerate(pids):
            s = sample(pid)
            if s is not None:
                role = (
                    "master"
                    if n == 0 and part == "gunicorn"
                    else ("main" if n == 0 else "pool process" if part == "celery" else "worker")
                )
                print(f"  {part} {role:<13} RSS {s.rss / 1024:6.0f}  PSS {s.pss / 1024:6.0f}")


def generate(count: int, share: float, seed: int) -> tuple[float, float, int, int]:
    """`count` reports sealed and stored in this process. Returns the CPU seconds of
    this process and of its PostgreSQL backend, the files and their bytes."""
    import django

    django.setup()
    from django.db import connection

    from bench import duplicates_data as data
    from intake import submission
    from intake.forms import ReportForm, Script
    from intake.sealing import CleanFile

    gen = data.generator()
    SCRIPTS = {code for code, _label in Script.CHOICES}
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    db_before = sample(backend)
    cpu_before = time.process_time()
    files = size = 0
    for n in range(count):
        truth, contents = data.person_reports(gen, seed, n)
        names = contents[0]["missing"]["names"]
        for entry in names:  # the set also tries ISO codes, which the form does not offer
            entry["script"] = entry["script"] if entry["script"] in SCRIPTS else ""
        fields = report_form_data(
            name_1=names[0]["name"][:200],
            script_1=names[0]["script"],
            name_2=names[1]["name"][:200] if len(names) > 1 else "",
            script_2=names[1]["script"] if len(names) > 1 else "",
            birth_year=str(truth.birth_year),
            home_county=truth.county,
            narrative=narrative(rng),
            steps_taken=narrative(rng)[:1000] or "Asked relatives.",
        )
        form = ReportForm(fields)
        if not form.is_valid():
            raise SystemExit(f"the generated form is refused: {form.errors.as_json()[:300]}")
        sizes = file_sizes(rng, share)
        attached = [CleanFile(f"photo{i}.jpg", "jpeg", os.urandom(s)) for i, s in enumerate(sizes)]
        files, size = files + len(sizes), size + sum(sizes)
        c = form.cleaned_data
        submission.submit(
            form.content(),
            language=rng.choice(["ug", "kk", "en", "ru", "tr", "zh-hans"]),
            consent=c["consent"],
            region=c["region"],
            files=attached,
            form_id=secrets.token_urlsafe(16),
        )
    cpu = time.process_time() - cpu_before
    db_after = sample(backend)
    db_cpu = db_after.cpu - db_before.cpu if db_after and db_before else 0.0
    return cpu, db_cpu, files, size


def measure_disk(stack: Stack) -> tuple[int, dict[str, int], int, int, int]:
    """Reports, each table's total size (with indexes and TOAST), the database's size,
    and the sealed storage's files and bytes, after VACUUM."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM intake_report")
        reports = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public'"
        )
        tables = dict(cursor.fetchall())
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
    sealed = [p for p in (stack.folder / "sealed").rglob("*") if p.is_file()]
    return reports, tables, database, len(sealed), sum(p.stat().st_size for p in sealed)


def print_disk(before: tuple, after: tuple, share: float, plain: int) -> None:
    """What the generated reports added, per 100,000 reports."""
    reports = after[0] - before[0]
    per = 100_000 / reports
    grew = {name: size - before[1].get(name, 0) for name, size in after[1].items()}
    print(f"\nDisk added by {reports} reports, scaled to 100,000 (MiB):")
    print(f"  {'table (with its indexes and TOAST)':<34} {'measured':>9} {'per 100k':>9}")
    for name, size in sorted(grew.items(), key=lambda item: -item[1]):
        if size >= 64 * 1024:
            print(f"  {name:<34} {size / 2**20:>9.1f} {size * per / 2**20:>9.0f}")
    tables = sum(grew.values())
    database = after[2] - before[2]
    files, sealed = after[3] - before[3], after[4] - before[4]
    print(f"  {'all tables':<34} {tables / 2**20:>9.1f} {tables * per / 2**20:>9.0f}")
    print(
        f"  {'database (pg_database_size)':<34} {database / 2**20:>9.1f} "
        f"{database * per / 2**20:>9.0f}"
    )
    print(
        f"  {'sealed storage':<34} {sealed / 2**20:>9.1f} {sealed * per / 2**20:>9.0f}  "
        f"({files} files, {share:.0%} of reports with 1-3 files, median 250 kB)"
    )
    if files:
        print(f"  sealing adds {(sealed - plain) / files:.0f} bytes per file to its size")
    print(f"  {'sealed storage per GiB of files':<34} {sealed / max(plain, 1):>9.3f} GiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=3000, help="reports sealed in-process")
    parser.add_argument("--posts", type=int, default=300, help="submissions through nginx")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--with-files", type=float, default=0.3, help="share with attachments")
    parser.add_argument("--database-url", default="", help="a database to empty and use")
    opts = parser.parse_args()
    limits = {"INTAKE_SUBMISSIONS_PER_MINUTE": str(10**6)}
    stack = Stack(staff=5, database_url=opts.database_url, limits=limits)
    try:
        stack.start()
        print(
            f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
            "gunicorn 3 sync workers, 1 Celery worker, nginx, Redis, PostgreSQL; "
            f"5 intake staff + the recovery key hold each report; {stack.describe_nginx()}"
        )
        used = post_load(stack, opts.posts, opts.clients)
        print("CPU seconds per submission (the POST: validate, seal, store, notify), by part:")
        for part, seconds in sorted(used.items(), key=lambda item: -item[1]):
            print(f"  {part:<18} {seconds * 1000:7.1f} ms")
        total = sum(used.values())
        print(f"  {'all':<18} {total * 1000:7.1f} ms")
        web = used.get("gunicorn", 0.0)
        if web:
            print(
                f"Reports/s per web core (1 / gunicorn CPU per submission): {1 / web:.0f}; "
                f"per core of the whole stack on one host: {1 / total:.0f}"
            )
        from bench.soak import Tally, sign_in

        page_cpu(stack, sign_in(stack, Tally(), sorted(stack.seeds)[0]), web)
        memory(stack)
        os.environ.update(stack.env())
        import django

        django.setup()
        before = measure_disk(stack)
        cpu, db_cpu, files, size = generate(opts.reports, opts.with_files, seed=12)
        print(
            f"\nGenerated {opts.reports} reports in this process ({files} files, "
            f"{size / 2**20:.0f} MiB): {cpu / opts.reports * 1000:.1f} ms CPU each in the "
            f"app (no HTTP), {db_cpu / opts.reports * 1000:.1f} ms in PostgreSQL"
        )
        print_disk(before, measure_disk(stack), opts.with_files, size)
    finally:
        try:
            from django.conf import settings

            if settings.configured:  # the in-process part ran: let the database go
                from django.db import connections

                connections.close_all()
        finally:
            stack.close()


if __name__ == "__main__":
    main()
