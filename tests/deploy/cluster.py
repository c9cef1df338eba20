"""The parts of a several-machine Amanat, run on this machine for the cluster test: a hot
standby of a private PostgreSQL primary, nginx balancing gunicorn nodes, a Celery worker
on RabbitMQ, and the plain HTTP clients that use them (a reporter, a staff member)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests import servers
from tests.reports import report_form_data

RABBITMQ_URL = os.environ.get("AMANAT_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
PASSWORDS = {
    "coordinator": "coordinator-cluster-pass-1",
    "ines": "ines-cluster-pass-1-x",
    "ada": "ada-cluster-pass-1-auditor",
}
RECEIPT = re.compile(r'class="receipt"[^>]*>([0-9 ]+)<')
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


NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
# Only crashes: an upstream error line would name the client's address.
error_log {folder}/error.log crit;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream amanat {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://amanat;
            proxy_set_header Host $host;
            # A node that refuses or drops the connection: the next one takes the request,
            # unless it is a POST that was already sent (it may have been stored).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


class Nginx:
    """nginx balancing the given gunicorn ports, with a minimal configuration of its own."""

    def __init__(self, upstream_ports: list[int]) -> None:
        if not shutil.which("nginx"):
            raise RuntimeError("nginx is not installed: `make test` installs it (deploy-tools)")
        self.port = servers.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="amanat-nginx-"))
        self.folder.chmod(0o755)  # its workers run as nobody
        lines = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
            for port in upstream_ports
        )
        conf = NGINX_CONF.format(
            user="user nobody nogroup;" if os.getuid() == 0 else "",
            folder=self.folder,
            servers=lines,
            port=self.port,
        )
        (self.folder / "nginx.conf").write_text(conf)
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        servers._wait(self._up, "nginx")

    def _up(self) -> bool:
        if self.process.poll() is not None:
            _, err = self.process.communicate()
            raise RuntimeError(f"nginx stopped: {err.decode(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)


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


def request(url: str, data: bytes | None, headers: dict[str, str], timeout: float):
    """(status, body, Set-Cookie) of one request; an HTTP error is an answer too."""
    sent = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode(), response.headers["Set-Cookie"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), None


class Reporter:
    """A family member at the public form, with a plain HTTP client."""

    def __init__(self, base: str) -> None:
        self.base = base

    def form(self) -> tuple[bytes, str]:
        """The form as the browser has it (token and one-time id filled in), and its cookie."""
        status, html, cookie = request(f"{self.base}/en/report/", None, {}, 30)
        token = TOKEN.search(html)
        form_id = re.search(r'name="form_id" value="([^"]+)"', html)
        if status != 200 or token is None or form_id is None or not cookie:
            raise RuntimeError(f"the form page answered {status}")
        fields = report_form_data(csrfmiddlewaretoken=token.group(1), form_id=form_id.group(1))
        return urllib.parse.urlencode(fields).encode(), cookie.split(";")[0]

    def send(self, body: bytes, cookie: str) -> tuple[int, str]:
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        status, page, _ = request(f"{self.base}/en/report/", body, headers, 60)
        return status, page

    def receipt_opener(self) -> Callable[[str], bool]:
        """A function telling whether a receipt opens its report, on one receipt page's
        token and cookie (as a reporter trying several receipts from the same page)."""
        status, html, cookie = request(f"{self.base}/en/receipt/", None, {}, 30)
        token = TOKEN.search(html)
        assert status == 200 and token is not None and cookie, "the receipt page broke"
        headers = {
            "Cookie": cookie.split(";")[0],
            "Content-Type": "application/x-www-form-urlencoded",
        }

        def opens(receipt: str) -> bool:
            fields = {"csrfmiddlewaretoken": token.group(1), "receipt": receipt}
            body = urllib.parse.urlencode(fields).encode()
            status, page, _ = request(f"{self.base}/en/receipt/", body, headers, 30)
            return status == 200 and "<h1>Your report</h1>" in page

        return opens


class Staff:
    """A signed-in staff member (password, then a TOTP code), with a cookie jar."""

    def __init__(self, base: str, username: str, seed: str) -> None:
        import base64

        from django_otp.oath import totp

        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = self.get("/staff/login/")
        self.post("/staff/login/", page, {"username": username, "password": PASSWORDS[username]})
        code = f"{totp(base64.b32decode(seed)):06d}"
        page = self.get("/staff/verify/")
        final = self.post("/staff/verify/", page, {"code": code})
        if "/staff/verify/" in final or "/staff/login/" in final:
            raise RuntimeError(f"{username} could not sign in")

    def get(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}", timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, page: str, fields: dict[str, str]) -> str:
        token = TOKEN.search(page)
        assert token is not None, f"{path} has no form token"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        with self.opener.open(f"{self.base}{path}", data=body, timeout=30) as response:
            return response.url


def wait_for(check, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.1)
