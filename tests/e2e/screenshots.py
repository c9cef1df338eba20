"""Screenshots of the main pages at desktop and phone width, for the README's tour.

Run: `make screenshots` (or `.venv/bin/python -m tests.e2e.screenshots`). It makes a
throw-away development site in a temporary folder with the demo organisation (all
invented), signs in as each demo role in Debian's Chromium, and writes PNG files to
docs/screenshots/. Nothing of the checkout's own data/ is used or changed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
FLAGS.append("--disable-background-networking")
LOGINS = ["coordinator", "intake", "caseworker", "reviewer", "auditor"]  # the demo's order
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _first_link(page, pattern: str) -> str | None:
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
        if re.search(pattern, href):
            return href
    return None


def _shoot(page, name: str) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(OUT / f"{name}-{size}.png"), full_page=True)
        sys.stdout.write(f"wrote docs/screenshots/{name}-{size}.png\n")


def _sign_in(browser, base: str, env: dict[str, str], login: str, password: str):
    page = browser.new_context().new_page()
    page.goto(f"{base}/staff/login/")
    page.fill("[name=username]", login)
    page.fill("[name=password]", password)
    page.click("form[method=post] button[type=submit]")
    page.fill("[name=code]", _manage(env, "demo_code", login).strip())
    page.click("form:has([name=code]) button[type=submit]")
    return page


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="amanat-screenshots-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(AMANAT_ENV="development", AMANAT_DATA_DIR=str(folder))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    _manage(env, "migrate", "--no-input")
    _manage(env, "demo")
    show = "from accounts import demo_accounts as d; print(*(d.password(x) for x in d.LOGINS))"
    shown = _manage(env, "shell", "-c", show).strip().splitlines()[-1]
    passwords = dict(zip(LOGINS, shown.split(), strict=True))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz")  # noqa: S310 - our own http URL
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            public = browser.new_context().new_page()
            public.goto(f"{base}/en/report/")
            _shoot(public, "public-report-form")
            public.goto(f"{base}/ug/report/")
            _shoot(public, "public-report-form-uyghur")

            staff = _sign_in(browser, base, env, "caseworker", passwords["caseworker"])
            _shoot(staff, "staff-home")
            staff.goto(f"{base}/staff/reports/")
            _shoot(staff, "inbox")
            report = _first_link(staff, rf"/staff/reports/{UUID}/$")
            if report:
                staff.goto(report)
                _shoot(staff, "report")
            staff.goto(f"{base}/staff/reports/persons/")
            _shoot(staff, "cases")
            person = _first_link(staff, rf"/staff/reports/persons/{UUID}/$")
            if person:
                staff.goto(person)
                _shoot(staff, "person")

            coordinator = _sign_in(browser, base, env, "coordinator", passwords["coordinator"])
            coordinator.goto(f"{base}/staff/reports/statistics/")
            _shoot(coordinator, "statistics")
            coordinator.goto(f"{base}/staff/people/")
            _shoot(coordinator, "staff-people")

            auditor = _sign_in(browser, base, env, "auditor", passwords["auditor"])
            auditor.goto(f"{base}/staff/audit/")
            _shoot(auditor, "audit-log")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
