"""The whole production stack on this machine, for the soak and sizing benches.

PostgreSQL (a private cluster, or a database the caller names and lets us empty),
a private Redis, gunicorn with deploy/gunicorn.conf.py, one Celery worker and nginx in
front (a clear-web listener and an onion listener speaking the PROXY protocol, as Tor
does). Every process is started here, found again through /proc, and stopped at the end.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Host names when nginx runs from the production templates (their server_name lines).
EDGE_HOST = "amanat.test"
EDGE_ONION = "amanatzq3rr4bxwkzb6ljqhzzcu6cb6wxgnsbxkbbpxdsbfqbd6imiad.onion"
CLOCK = os.sysconf("SC_CLK_TCK")
ERROR = re.compile(r"ERROR|CRITICAL|Traceback|\[emerg\]|\[alert\]|\[crit\]")

from tests.servers import PostgresCluster, RedisServer, free_port  # noqa: E402

PASSWORD = "soak-staff-pass-1234"  # noqa: S105 - a throwaway database

# Five intake staff (every new report is wrapped for each) and their authenticator seeds.
SETUP = """
import base64, json, django; django.setup()
from accounts import second_factor, services
from accounts.models import Role
r = services.bootstrap("Soak", "coordinator", "coordinator-soak-pass-1")
key = services.unlock_private_key(r.coordinator, "coordinator-soak-pass-1")
seeds = {}
for i in range(%(staff)d):
    staff = services.add_staff(f"intake{i}", Role.INTAKE, %(password)r, r.coordinator, key)
    _device, secret = second_factor.enrol_totp(staff, confirmed=True)
    seeds[staff.username] = base64.b32decode(secret).hex()
print(json.dumps(seeds))
"""


class Cluster(PostgresCluster):
    """A private cluster with durable commits (fsync on), as in production."""

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run(
            [
                str(self.bin / "pg_ctl"),
                *("-D", str(self.data), "-o", options, "-w", "-l", str(self.folder / "log")),
                "start",
            ]
        )

    def pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *descendants(postmaster)]


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    parents = {pid}
    stats = []
    for path in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(path).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        stats.append((int(path.split("/")[2]), int(fields[1])))
    grew = True
    while grew:
        grew = False
        for child, parent in stats:
            if parent in parents and child not in parents:
                parents.add(child)
                found.append(child)
                grew = True
    return found


@dataclass
class Sample:
    rss: int  # kB
    pss: int  # kB
    shmem: int  # kB of the RSS that is shared memory (PostgreSQL's shared buffers)
    cpu: float  # seconds, user + system, with reaped children's


def sample(pid: int) -> Sample | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None

    def kb(text: str, name: str) -> int:
        line = next((ln for ln in text.splitlines() if ln.startswith(name + ":")), "")
        return int(line.split()[1]) if line else 0

    # Its own CPU and that of the children it has reaped: PostgreSQL replaces its
    # backends (CONN_MAX_AGE), and a backend gone before the end still counts.
    cpu = sum(int(n) for n in stat[11:15]) / CLOCK
    return Sample(kb(status, "VmRSS"), kb(rollup, "Pss"), kb(status, "RssShmem"), cpu)


def nginx_conf(folder: Path, web: int, onion: int, upstream: int) -> str:
    """The bench's own nginx: no TLS, the same headers and client signal as deploy/."""
    location = """
        location / {
            proxy_pass http://amanat;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For "";
            proxy_set_header X-Amanat-Client %s;
        }"""
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log crit;
worker_processes 1;
events {{ worker_connections 2048; }}
http {{
    access_log off;
{temp}
    client_max_body_size 130m;
    upstream amanat {{ server {HOST}:{upstream}; keepalive 8; }}
    server {{
        listen {HOST}:{web};
        {location % "$remote_addr"}
    }}
    server {{
        listen {HOST}:{onion} proxy_protocol;
        {location % "$proxy_protocol_addr"}
    }}
}}
"""


@dataclass(frozen=True)
class Listener:
    """Where a browser reaches nginx: port, Host header, TLS or not, Origin of its posts."""

    port: int
    host: str
    tls: bool
    origin: str


def real_edge() -> bool:
    """The production nginx templates, and the script that renders them, are there."""
    return (ROOT / "deploy/check-edge.sh").exists() and (
        ROOT / "deploy/nginx/amanat.conf.in"
    ).exists()


@dataclass
class Stack:
    workers: int = 3
    staff: int = 5
    database_url: str = ""
    limits: dict[str, str] = field(default_factory=dict)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="amanat-soak-")))
    cluster: Cluster | None = None
    redis: RedisServer | None = None
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    seeds: dict[str, bytes] = field(default_factory=dict)
    web: Listener = Listener(0, HOST, False, "")  # the clear web (staff); set at start
    onion: Listener = Listener(0, HOST, False, "")  # Tor's entrance (reporters), PROXY protocol

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AMANAT_", "DJANGO_"))}
        env.update(
            AMANAT_ENV="production",
            DJANGO_SETTINGS_MODULE="config.settings",
            AMANAT_DATA_DIR=str(self.folder),
            SECRET_KEY=self.secret("secret_key"),
            RECEIPT_PEPPER=self.secret("pepper"),
            RATELIMIT_SECRET=self.secret("ratelimit"),
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis.url if self.redis else "",
            ALLOWED_HOSTS=f"{HOST},{EDGE_HOST},{EDGE_ONION}",
            # Tor Browser posts with its onion origin over http; nginx tells Amanat "https".
            CSRF_TRUSTED_ORIGINS=f"http://{EDGE_ONION}",
            OTP_WEBAUTHN_RP_ID="localhost",
            SEALED_STORAGE_DIR=str(self.folder / "sealed"),
            STATIC_ROOT=str(self.folder / "static"),
            PYTHONPATH=str(ROOT),
            **self.limits,
        )
        return env

    def secret(self, name: str) -> str:
        path = self.folder / name
        if not path.exists():
            path.write_text(secrets.token_hex(40))
        return path.read_text()

    def python(self, *args: str) -> str:
        return subprocess.run(
            [str(VENV_BIN / "python"), *args],
            env=self.env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self) -> Stack:
        self.folder.chmod(0o755)  # nginx's workers (nobody) reach their temp folders
        if self.database_url:
            name = self.database_url.rsplit("/", 1)[1]
            admin = self.database_url.rsplit("/", 1)[0] + "/postgres"
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)
        else:
            self.cluster = Cluster()
            self.database_url = self.cluster.url()
        self.redis = RedisServer().start()
        self.python("manage.py", "migrate", "--no-input")
        self.python("manage.py", "collectstatic", "--no-input")
        seeds = json.loads(self.python("-c", SETUP % {"staff": self.staff, "password": PASSWORD}))
        self.seeds = {name: bytes.fromhex(seed) for name, seed in seeds.items()}
        upstream = free_port()
        self.spawn(
            "gunicorn",
            [
                *(str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"),
                *("-w", str(self.workers), "-b", f"{HOST}:{upstream}", "--log-level", "warning"),
            ],
        )
        self.spawn(
            "celery",
            [str(VENV_BIN / "celery"), "-A", "config", "worker", "-c", "1", "-l", "WARNING"],
        )
        if real_edge():
            self.start_edge(upstream)
        else:
            self.start_own_nginx(upstream)
        self.wait_up(f"http://{HOST}:{upstream}/healthz")
        self.wait_up("", self.onion.port)
        return self

    def describe_nginx(self) -> str:
        if self.web.tls:
            return "nginx from deploy/nginx/ (TLS for staff, onion listener for reporters)"
        return "the bench's own minimal nginx (no TLS; deploy/nginx/ not there yet)"

    def start_own_nginx(self, upstream: int) -> None:
        """Without the production templates: a minimal nginx of the bench's own, no TLS."""
        web, onion = free_port(), free_port()
        conf = self.folder / "nginx.conf"
        conf.write_text(nginx_conf(self.folder, web, onion, upstream))
        self.spawn("nginx", ["nginx", "-c", str(conf), "-p", str(self.folder), "-g", "daemon off;"])
        self.web = Listener(web, HOST, False, f"https://{HOST}")
        self.onion = Listener(onion, HOST, False, f"https://{HOST}")

    def start_edge(self, upstream: int) -> None:
        """nginx as deployed: the production templates, rendered by their check script
        into this folder, with a self-signed certificate and a client key of the run's own."""
        https, http, onion = free_port(), free_port(), free_port()
        edge = self.folder / "edge"
        edge.mkdir()
        key_conf = edge / "client-key.conf"
        key_conf.write_text(f'set $amanat_client_key "{secrets.token_hex(32)}";\n')
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", f"/CN={EDGE_HOST}", "-keyout", str(edge / "tls.key"),
                "-out", str(edge / "tls.crt"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        env = {
            **os.environ,
            "AMANAT_HOST": EDGE_HOST,
            "AMANAT_ONION_HOST": EDGE_ONION,
            "AMANAT_TLS_CERT": str(edge / "tls.crt"),
            "AMANAT_TLS_KEY": str(edge / "tls.key"),
            "AMANAT_HTTPS_LISTEN": str(https),
            "AMANAT_HTTP_LISTEN": str(http),
            "AMANAT_ONION_LISTEN": f"{HOST}:{onion}",
            "AMANAT_UPSTREAMS": f"server {HOST}:{upstream};",
            "AMANAT_CLIENT_KEY_CONF": str(key_conf),
            "AMANAT_EDGE_PAGES": str(edge / "pages"),
        }
        env.pop("AMANAT_STAFF_ONION_LISTEN", None)
        subprocess.run(
            [sys.executable, "manage.py", "edge_pages", str(edge / "pages")],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
        )
        conf = edge / "conf"
        subprocess.run(
            [str(ROOT / "deploy/check-edge.sh"), "render-nginx", str(conf)],
            env=env,
            check=True,
            capture_output=True,
        )
        self.spawn(
            "nginx",
            [
                *("nginx", "-p", str(conf), "-c", str(conf / "nginx.conf")),
                *("-e", str(conf / "logs/early.log"), "-g", "daemon off;"),
            ],
        )
        self.web = Listener(https, EDGE_HOST, True, f"https://{EDGE_HOST}")
        self.onion = Listener(onion, EDGE_ONION, False, f"http://{EDGE_ONION}")

    def spawn(self, name: str, args: list[str]) -> None:
        self.procs[name] = subprocess.Popen(
            args,
            env=self.env(),
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / f"{name}.err", "wb"),
        )

    def wait_up(self, url: str, port: int = 0) -> None:
        """Until `url` answers (or `port` accepts), or a server of ours stopped."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    err = (self.folder / f"{name}.err").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{name} stopped at start:\n{err}")
            try:
                if port:
                    socket.create_connection((HOST, port), timeout=2).close()
                else:
                    # As nginx sends it: production redirects plain http to https.
                    headers = {"X-Forwarded-Proto": "https"}
                    urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{url or port} did not answer within 60 s")

    def processes(self) -> dict[str, list[int]]:
        """Every process of the stack by part, children included."""
        found = {
            name: [proc.pid, *descendants(proc.pid)]
            for name, proc in self.procs.items()
            if proc.poll() is None
        }
        if self.redis and self.redis.process:
            found["redis"] = [self.redis.process.pid]
        if self.cluster:
            found["postgres"] = self.cluster.pids()
        else:
            name = self.database_url.rsplit("/", 1)[1]
            query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}'"
            out = subprocess.run(
                ["psql", self.database_url, "-tAc", query], capture_output=True, text=True
            ).stdout
            found["postgres backends"] = [int(p) for p in out.split()]
        return found

    def count(self, table: str) -> int:
        out = subprocess.run(
            ["psql", self.database_url, "-tAc", f"SELECT count(*) FROM {table}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return int(out.strip())

    def errors_logged(self) -> list[str]:
        """What the servers wrote on stderr that looks like an error."""
        lines = []
        for name in self.procs:
            path = self.folder / f"{name}.err"
            if path.exists():
                text = path.read_text(errors="replace")
                lines += [f"{name}: {ln}" for ln in text.splitlines() if ERROR.search(ln)]
        return lines

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if self.redis:
            self.redis.close()
        if self.cluster:
            self.cluster.close()
        shutil.rmtree(self.folder, ignore_errors=True)
