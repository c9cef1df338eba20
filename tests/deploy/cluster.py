"""The parts of a several-machine Amanat, run on this machine for the cluster test: a hot
standby of a private PostgreSQL primary, a Celery worker on RabbitMQ, and the clients that
reach the gunicorn nodes through Amanat's real nginx (tests/deploy/edge.py) as Tor
circuits (a reporter, a staff member)."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from tests import servers
from tests.deploy import edge
from tests.reports import report_form_data

RABBITMQ_URL = os.environ.get("AMANAT_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
PASSWORDS = {
    "coordinator": "coordinator-cluster-pass-1",
    "ines": "ines-cluster-pass-1-x",
    "ada": "ada-cluster-pass-1-auditor",
}
RECEIPT = re.compile(r'class="receipt"[^>]*>([0-9 ]+)<')
FORM = "application/x-www-form-urlencoded"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

BOOTSTRAP = f"""
import json
import django; django.setup()
from accounts import second_factor, services
from accounts.models import Role
passwords = {PASSWORDS!r}
r = services.bootstrap("Cluster", "coordinator", passwords["coordinator"])
key = services.unlock_private_key(r.coordinator, passwords["coordinator"])
services.add_staff("ines", Role.INTAKE, passwords["ines"], r.coordinator, key)
ada = services.add_staff("ada", Role.AUDITOR, passwords["ada"], r.coordinator, key)
seeds = {{s.username: second_factor.enrol_totp(s, confirmed=True)[1] for s in (r.coordinator, ada)}}
print(json.dumps(seeds))
"""


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate and bootstrap; returns each staff member's TOTP seed (base32)."""
    python = str(servers.VENV_BIN / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--no-input"],
        env=env,
        cwd=servers.ROOT,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [python, "-c", BOOTSTRAP], env=env, cwd=servers.ROOT, check=True, capture_output=True
    )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def rabbitmq_missing() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return ""
    except OSError:
        return "RabbitMQ does not answer on 127.0.0.1:5672 (apt-get install rabbitmq-server)"


class PostgresStandby(servers.PostgresCluster):
    """A hot standby of `primary`: pg_basebackup -R, then started on a port of its own; it
    follows the primary by streaming replication."""

    def __init__(self, primary: servers.PostgresCluster) -> None:
        self.bin = primary.bin
        self.port = servers.free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="amanat-pg-standby-"))
        self.data = self.folder / "data"
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.run(
            [
                str(self.bin / "pg_basebackup"),
                *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
                *("-D", str(self.data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"),
            ]
        )
        self.start()


class Worker:
    """A Celery worker process, consuming the queue its environment names."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [
                str(servers.VENV_BIN / "celery"),
                *("-A", "config", "worker", "--pool", "solo", "--loglevel", "warning"),
                *("--without-heartbeat", "--without-gossip", "--without-mingle"),
            ],
            env=env,
            cwd=servers.ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def close(self) -> str:
        # The test has waited for what it sent; a warm shutdown would take seconds more.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=1)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            _, err = self.process.communicate()
        return err.decode(errors="replace")


def kill_node(node: servers.Gunicorn) -> None:
    """SIGKILL to the node's master and workers at once, as when its machine dies."""
    os.killpg(node.process.pid, signal.SIGKILL)
    node.process.wait()


def close_node(node: servers.Gunicorn) -> None:
    try:
        node.close()
    except ProcessLookupError:  # already killed
        pass


class Reporter:
    """A family member at the public form, arriving through the onion entrance as Tor
    circuit `number` (its own limits' budget, as each Tor Browser has)."""

    def __init__(self, nginx: edge.Nginx, number: int) -> None:
        self.nginx = nginx
        self.visitor = edge.Visitor(nginx.onion, tls=False, proxy=edge.circuit(number))

    def form(self) -> bytes:
        """The form as the browser has it (token and one-time id filled in); its cookies
        stay with this reporter."""
        self.visitor.cookies.clear()
        page = self.visitor.request("GET", "/en/report/")
        token = TOKEN.search(page.body)
        form_id = re.search(r'name="form_id" value="([^"]+)"', page.body)
        if page.status != 200 or token is None or form_id is None or not self.visitor.cookies:
            raise RuntimeError(f"the form page answered {page.status}")
        fields = report_form_data(csrfmiddlewaretoken=token.group(1), form_id=form_id.group(1))
        return urllib.parse.urlencode(fields).encode()

    def send(self, body: bytes) -> tuple[int, str]:
        answer = self.visitor.request(
            "POST", "/en/report/", body, Content_Type=FORM, Origin=f"http://{edge.ONION}"
        )
        return answer.status, answer.body

    def receipt_opener(self) -> Callable[[str], bool]:
        """A function telling whether a receipt opens its report, on one receipt page's
        token and cookies; each receipt is tried on a circuit of its own, as each reporter
        comes back on theirs (one circuit would soon meet nginx's limit of 20 requests/s)."""
        page = self.visitor.request("GET", "/en/receipt/")
        token = TOKEN.search(page.body)
        assert page.status == 200 and token is not None, "the receipt page broke"
        cookies = dict(self.visitor.cookies)
        circuits = itertools.count(10_000)

        def opens(receipt: str) -> bool:
            circuit = edge.circuit(next(circuits))
            visitor = edge.Visitor(
                self.nginx.onion, tls=False, proxy=circuit, cookies=dict(cookies)
            )
            fields = {"csrfmiddlewaretoken": token.group(1), "receipt": receipt}
            body = urllib.parse.urlencode(fields).encode()
            answer = visitor.request(
                "POST", "/en/receipt/", body, Content_Type=FORM, Origin=f"http://{edge.ONION}"
            )
            if answer.status == 200 and "<h1>Your report</h1>" in answer.body:
                return True
            print(f"receipt {receipt[:3]}…: {answer.status}")  # noqa: T201 - why it failed
            return False

        return opens


class Staff:
    """A signed-in staff member (password, then a TOTP code) on the onion entrance, as
    Tor circuit `number`."""

    def __init__(self, nginx: edge.Nginx, number: int, username: str, seed: str) -> None:
        import base64

        from django_otp.oath import totp

        self.visitor = edge.Visitor(nginx.onion, tls=False, proxy=edge.circuit(number))
        page = self.get("/staff/login/")
        self.post("/staff/login/", page, {"username": username, "password": PASSWORDS[username]})
        code = f"{totp(base64.b32decode(seed)):06d}"
        page = self.get("/staff/verify/")
        final = self.post("/staff/verify/", page, {"code": code})
        if "/staff/verify/" in final or "/staff/login/" in final:
            raise RuntimeError(f"{username} could not sign in")

    def get(self, path: str) -> str:
        for _ in range(5):  # follow redirects, as a browser does
            answer = self.visitor.request("GET", path)
            if answer.status not in (301, 302, 303):
                return answer.body
            path = urllib.parse.urlsplit(answer.header("Location")[0]).path
        raise AssertionError(f"{path}: too many redirects")

    def post(self, path: str, page: str, fields: dict[str, str]) -> str:
        """The path the answer leads to: its redirect, or `path` itself."""
        token = TOKEN.search(page)
        assert token is not None, f"{path} has no form token"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        answer = self.visitor.request(
            "POST", path, body, Content_Type=FORM, Origin=f"http://{edge.ONION}"
        )
        location = answer.header("Location")
        return urllib.parse.urlsplit(location[0]).path if location else path


def wait_for(check, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.1)
