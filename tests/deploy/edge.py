"""Amanat behind its real edge, for the deploy tests: Debian's nginx rendered from
deploy/nginx/ (by deploy/check-edge.sh, as installed but with its paths in a temporary
folder) in front of gunicorn in production mode, and a small HTTP client that can speak
TLS from a chosen source address or arrive as a Tor circuit (a PROXY protocol line)."""

from __future__ import annotations

import atexit
import hashlib
import hmac
import http.client
import io
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.core.management import call_command

from tests import servers
from tests.reports import report_form_data

ROOT = servers.ROOT
HOST = "amanat.test"
ONION = "amanatzq3rr4bxwkzb6ljqhzzcu6cb6wxgnsbxkbbpxdsbfqbd6imiad.onion"
STAFF_ONION = "staffzq3rr4bxwkzb6ljqhzzcu6cb6wxgnsbxkbbpxdsbfqbd6imiad.onion"
TOOLS = ("nginx", "openssl", "redis-server")
# What an install does before the first start, in one process (each start of Django costs
# seconds on a busy machine): static files, tables, the organisation.
PREPARE = """
import django; django.setup()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", interactive=False, verbosity=0)
from accounts import services
services.bootstrap("Edge", "coordinator", "coordinator-edge-pass-1")
"""


def missing_tools() -> str:
    """Why these tests cannot run here, or "" when they can."""
    for tool in TOOLS:
        if not shutil.which(tool):
            return f"{tool} is not installed: `make test` installs it (make deploy-tools)"
    if not Path("/usr/lib/nginx/modules/ngx_http_js_module.so").exists():
        return "nginx's njs module is missing: `make test` installs it (make deploy-tools)"
    return ""


def stub_upstream(
    handler: type[BaseHTTPRequestHandler], cleanup: Callable[[Callable[[], None]], None]
) -> int:
    """A stand-in for gunicorn, answering with `handler` from a thread on a free port until
    `cleanup` (a test's addCleanup or addClassCleanup) stops it; returns the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cleanup(server.server_close)
    cleanup(server.shutdown)  # cleanups run last first: stop serving, then close
    return server.server_address[1]


def circuit(number: int) -> str:
    """The address Tor gives circuit `number` (HiddenServiceExportCircuitID haproxy)."""
    return f"fc00:dead:beef:4dad::{number >> 16:x}:{number & 0xFFFF:x}"


class Nginx:
    """deploy/nginx/ rendered with test values and run in the foreground on free ports:
    clear web (TLS, self-signed) on `https`, the redirect on `http`, Tor's entrance on
    `onion` (127.0.0.1, PROXY protocol); with `staff`, the staff onion's entrance on
    `staff` too, and no staff pages elsewhere; with `sources`, clear-web requests may
    name the address they stand for in X-Test-Source. Several upstream ports: nginx
    balances them as it would web nodes on other machines. With `body_memory` ("8m"), its
    temporary folder is a tmpfs of that size, as run-amanatedge.mount gives a server
    (mounting needs root, as the tests have)."""

    def __init__(
        self,
        upstream_port: int | list[int],
        staff: bool = False,
        key: str | None = None,
        sources: bool = False,
        body_memory: str = "",
    ) -> None:
        ports = [upstream_port] if isinstance(upstream_port, int) else upstream_port
        self.folder = Path(tempfile.mkdtemp(prefix="amanat-nginx-"))
        # nginx's workers (www-data when the tests run as root) pass through to the
        # temporary folders the master makes for them; keys stay the master's.
        self.folder.chmod(0o711)
        self.key = secrets.token_bytes(32)
        key_conf = self.folder / "client-key.conf"
        key_conf.touch(mode=0o600)
        key_conf.write_text(f'set $amanat_client_key "{self.key.hex() if key is None else key}";\n')
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
                "-addext", f"subjectAltName=DNS:{HOST}",
                "-keyout", str(self.folder / "tls.key"), "-out", str(self.folder / "tls.crt"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        # nginx's own error pages, as install.sh writes them (manage.py edge_pages).
        self.pages = self.folder / "pages"
        call_command("edge_pages", str(self.pages), stdout=io.StringIO())
        # A free port can be taken by another process between the check and nginx's bind
        # (other tests, a bench on the same machine): then start again on new ports.
        self.body_memory = body_memory
        self.mounted: Path | None = None
        for attempt in range(3):
            try:
                self._start(ports, staff, sources)
                return
            except RuntimeError as error:
                if "Address already in use" not in str(error) or attempt == 2:
                    shutil.rmtree(self.folder, ignore_errors=True)
                    raise

    def _start(self, ports: list[int], staff: bool, sources: bool) -> None:
        self.https, self.http, self.onion = (servers.free_port() for _ in range(3))
        env = {
            **os.environ,
            "AMANAT_HOST": HOST,
            "AMANAT_ONION_HOST": ONION,
            "AMANAT_TLS_CERT": str(self.folder / "tls.crt"),
            "AMANAT_TLS_KEY": str(self.folder / "tls.key"),
            "AMANAT_HTTPS_LISTEN": str(self.https),
            "AMANAT_HTTP_LISTEN": str(self.http),
            "AMANAT_ONION_LISTEN": f"127.0.0.1:{self.onion}",
            "AMANAT_UPSTREAMS": " ".join(f"server 127.0.0.1:{port};" for port in ports),
            "AMANAT_CLIENT_KEY_CONF": str(self.folder / "client-key.conf"),
            "AMANAT_EDGE_PAGES": str(self.pages),
        }
        env.pop("AMANAT_STAFF_ONION_LISTEN", None)
        self.staff = servers.free_port() if staff else 0
        if staff:
            env["AMANAT_STAFF_ONION_HOST"] = STAFF_ONION
            env["AMANAT_STAFF_ONION_LISTEN"] = f"127.0.0.1:{self.staff}"
        self.conf = self.folder / "conf"
        shutil.rmtree(self.conf, ignore_errors=True)
        subprocess.run(
            [str(ROOT / "deploy/check-edge.sh"), "render-nginx", str(self.conf)],
            env=env,
            check=True,
            capture_output=True,
        )
        if sources:
            # Tests only: a request's X-Test-Source header stands for the address it came
            # from (nginx's realip module), so that clients on any IPv4 or IPv6 network
            # can be played from the loopback interface.
            with open(self.conf / "sites-enabled/amanat.conf", "a") as site:
                site.write("set_real_ip_from 127.0.0.0/8;\nset_real_ip_from ::1;\n")
                site.write("real_ip_header X-Test-Source;\n")
        self.logs = self.conf / "logs"
        if self.body_memory:
            self.mounted = self.conf / "temp"
            options = f"size={self.body_memory},mode=0755,nosuid,nodev,noexec"
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(self.mounted)],
                check=True,
                capture_output=True,
            )
        self.process = subprocess.Popen(
            [
                "nginx", "-p", str(self.conf), "-c", str(self.conf / "nginx.conf"),
                "-e", str(self.logs / "early.log"), "-g", "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        try:
            servers._wait(self._up, "nginx", 10)
        except RuntimeError as error:
            raise RuntimeError(f"{error}: {self._stop()}") from None

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError("nginx stopped")
        for port in (self.https, self.http, self.onion, self.staff):
            if not port:
                continue
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                return False
        return True

    def token(self, network: str) -> str:
        """The token nginx should send for a client address (IPv6: its /64, written
        as client.js writes it)."""
        return "c1." + hmac.new(self.key, network.encode(), hashlib.sha256).hexdigest()

    def log_text(self) -> str:
        """Everything nginx wrote in its log folder."""
        return "".join(p.read_text(errors="replace") for p in self.logs.iterdir() if p.is_file())

    def close(self) -> str:
        """Stop it and remove its folder; returns what it wrote on stderr."""
        err = self._stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        return err

    def _stop(self) -> str:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            _, err = self.process.communicate()
        if self.mounted is not None:
            subprocess.run(["umount", str(self.mounted)], check=False, capture_output=True)
            self.mounted = None
        return err.decode(errors="replace")


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def connect(
    port: int, *, tls: bool = True, source: str = "127.0.0.1", proxy: str | None = None
) -> socket.socket:
    """A connection to nginx: from `source` (a loopback address), or as Tor circuit
    `proxy` (a PROXY protocol v1 line first, as Tor sends it)."""
    family = socket.AF_INET6 if ":" in source else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.bind((source, 0))
    sock.connect((source if family == socket.AF_INET6 else "127.0.0.1", port))
    if proxy is not None:
        sock.sendall(f"PROXY TCP6 {proxy} ::1 {sock.getsockname()[1]} 80\r\n".encode())
    if tls:
        return tls_context().wrap_socket(sock, server_hostname=HOST)
    return sock


def exchange(sock: socket.socket, request: bytes) -> Answer:
    with sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read().decode(errors="replace")
        return Answer(response.status, response.getheaders(), body)


@dataclass
class Visitor:
    """A reporter's browser, enough of one: cookies, and where it connects from."""

    port: int
    tls: bool = True
    source: str = "127.0.0.1"
    proxy: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    name: str = ""

    @property
    def host(self) -> str:
        return self.name or (HOST if self.tls else ONION)

    def request(self, method: str, path: str, body: bytes = b"", **headers: str) -> Answer:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in {**self.extra, **headers}.items():
            lines.append(f"{name.replace('_', '-')}: {value}")
        if (body or method == "POST") and "Content_Length" not in headers:
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        answer = exchange(
            connect(self.port, tls=self.tls, source=self.source, proxy=self.proxy), raw
        )
        for value in answer.header("Set-Cookie"):
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return answer

    def report(self, **overrides: str) -> Answer:
        """Open the form and send a valid report, as a browser would."""
        page = self.request("GET", "/en/report/")
        assert page.status == 200, page.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        form_id = re.search(r'name="form_id" value="([^"]+)"', page.body)
        assert token and form_id, "the form lost its hidden fields"
        fields = report_form_data(
            csrfmiddlewaretoken=token.group(1), form_id=form_id.group(1), **overrides
        )
        body = urllib.parse.urlencode(fields).encode()
        origin = f"https://{HOST}" if self.tls else f"http://{ONION}"
        return self.request(
            "POST",
            "/en/report/",
            body,
            Content_Type="application/x-www-form-urlencoded",
            Origin=origin,
        )


def stored(answer: Answer) -> bool:
    return answer.status == 200 and "This is your receipt" in answer.body


# The first App of a test run prepares a database and the static files; later ones start
# from copies (a migration run costs many seconds on a busy machine).
_TEMPLATE: dict[str, str] = {}


def _template_folder() -> Path:
    if "folder" not in _TEMPLATE:
        _TEMPLATE["folder"] = tempfile.mkdtemp(prefix="amanat-app-template-")
        atexit.register(shutil.rmtree, _TEMPLATE["folder"], True)
    return Path(_TEMPLATE["folder"])


def _on(url: str, database: str) -> str:
    """The same PostgreSQL server, another database."""
    return urllib.parse.urlparse(url)._replace(path=f"/{database}").geturl()


def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_on(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


class App:
    """Amanat under gunicorn in production mode (collected static files, secrets, host
    names), on a fresh database: a temporary SQLite file, or a database of its own on the
    PostgreSQL server DATABASE_URL names; limits counted in a private Redis."""

    def __init__(self, workers: int = 3, **settings: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="amanat-app-"))
        self.redis = servers.RedisServer().start()
        self.drop = ""
        try:
            self._start(workers, settings)
        except BaseException:
            self.redis.close()
            if self.drop:
                _postgres(self.postgres, f"DROP DATABASE IF EXISTS {self.drop} WITH (FORCE)")
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _start(self, workers: int, settings: dict[str, str]) -> None:
        shared = _template_folder()
        prepared = (shared / "ready").exists()
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url if url.startswith("postgres") else ""
        self.drop = self._database(prepared)
        env = servers.app_environment(self.database, self.redis.url, str(self.folder / "sealed"))
        env.update(
            AMANAT_ENV="production",
            AMANAT_DATA_DIR=str(self.folder / "data"),
            STATIC_ROOT=str(shared / "static"),
            ALLOWED_HOSTS=f"{HOST},{ONION},{STAFF_ONION}",
            OTP_WEBAUTHN_RP_ID=HOST,
            # Tor Browser sends its onion origin over http; nginx tells Amanat "https".
            CSRF_TRUSTED_ORIGINS=f"http://{ONION}",
            **settings,
        )
        env.pop("CELERY_BROKER_URL", None)
        self.env = env
        if prepared:
            self.gunicorn = servers.Gunicorn(env, workers=workers)
            return
        # gunicorn's workers load Django meanwhile: they touch no table before a request.
        prepare = subprocess.Popen(
            [str(servers.VENV_BIN / "python"), "-c", PREPARE],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.gunicorn = servers.Gunicorn(env, workers=workers)
        _, err = prepare.communicate()
        if prepare.returncode:
            self.gunicorn.close()
            raise RuntimeError(f"preparing the app failed: {err.decode(errors='replace')}")
        # WhiteNoise lists the static files as a worker starts, here perhaps before
        # collectstatic had written them all: workers started afresh see every one.
        master = self.gunicorn.process.pid
        old = _children(master)
        self.gunicorn.process.send_signal(signal.SIGHUP)
        if not wait_until(lambda: not old & _children(master), 30):
            self.gunicorn.close()
            raise RuntimeError("gunicorn's workers did not restart after the preparation")
        self._keep_template(shared)

    def _database(self, prepared: bool) -> str:
        """Makes the database (a copy of the template once there is one); returns the
        PostgreSQL database to drop at the end, or ""."""
        if not self.postgres:
            sqlite = self.folder / "amanat.sqlite3"
            if prepared:
                shutil.copy(_template_folder() / "amanat.sqlite3", sqlite)
            self.database = f"sqlite:///{sqlite}"
            return ""
        # A database of this test's own beside the one DATABASE_URL names, dropped after.
        base = urllib.parse.urlparse(self.postgres).path.strip("/")
        name = f"{base}_deploy_{secrets.token_hex(4)}"
        template = f" TEMPLATE {_TEMPLATE['postgres']}" if prepared else ""
        _postgres(self.postgres, f"CREATE DATABASE {name}{template}")
        self.database = _on(self.postgres, name)
        return name

    def _keep_template(self, shared: Path) -> None:
        if self.postgres:
            template = f"{self.drop}_template"
            _postgres(self.postgres, f"CREATE DATABASE {template} TEMPLATE {self.drop}")
            _TEMPLATE["postgres"] = template
            atexit.register(_postgres, self.postgres, f"DROP DATABASE IF EXISTS {template}")
        else:
            shutil.copy(self.folder / "amanat.sqlite3", shared / "amanat.sqlite3")
        (shared / "ready").touch()

    def close(self) -> str:
        """Stop everything; returns what gunicorn wrote on stderr."""
        err = self.gunicorn.close()
        self.redis.close()
        if self.drop:
            _postgres(self.postgres, f"DROP DATABASE IF EXISTS {self.drop} WITH (FORCE)")
        shutil.rmtree(self.folder, ignore_errors=True)
        return err


def _children(pid: int) -> set[str]:
    """The process ids of a process's children (gunicorn's workers, of its master)."""
    return set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())


def wait_until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False
