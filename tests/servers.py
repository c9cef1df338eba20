"""Servers of a fault test's own: Redis, a PostgreSQL cluster and gunicorn, each in a
temporary folder on a free port, so a test can kill or restart them without touching
the machine's shared services."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def missing_tools() -> str:
    """Why these tests cannot run here, or "" when they can."""
    if not shutil.which("redis-server"):
        return "redis-server is not installed (apt-get install redis-server)"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL's initdb is not installed (apt-get install postgresql)"
    return ""


class RedisServer:
    """redis-server without persistence, on a free port, in its own folder."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="amanat-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.folder,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(lambda: _answers(self.port), "redis-server")
        return self

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self) -> None:
        """Killed and started again on the same port, empty (as after a crash)."""
        self.kill()
        self.start()

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


class PostgresCluster:
    """A throwaway PostgreSQL cluster: initdb in a temporary folder, trust on loopback."""

    def __init__(self) -> None:
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="amanat-pg-"))
        self.data = self.folder / "data"
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        self.start()
        self.run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "amanat",
            ]
        )

    def url(self, name: str = "amanat") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def run(self, args: list[str]) -> None:
        subprocess.run(_as_postgres(args), check=True, capture_output=True, cwd=self.folder)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-w",
                "-l",
                str(self.folder / "log"),
                "start",
            ]
        )

    def stop(self) -> None:
        self.run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Gunicorn:
    """The application under gunicorn's sync workers, with an environment of its own."""

    def __init__(self, env: dict[str, str], workers: int = 1, preexec_fn=None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "config.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=preexec_fn,
        )
        _wait(self._up, "gunicorn")

    def _up(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.base}/en/", timeout=2)  # noqa: S310
            return True
        except urllib.error.HTTPError:
            return True  # an answer, if a refusal: production mode wants its own host name
        except OSError:
            return False

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def close(self) -> str:
        """Stop it; returns what it wrote on stderr."""
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            _, err = self.process.communicate()
        return err.decode(errors="replace")


def app_environment(database_url: str, redis_url: str, storage: str) -> dict[str, str]:
    """Fixed secrets: every process (setup, each worker, a respawned one) must agree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMANAT_", "DJANGO_"))}
    env.update(
        AMANAT_ENV="test",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="fault-test-secret-key-" + "k" * 40,
        RECEIPT_PEPPER="fault-test-pepper-" + "p" * 30,
        RATELIMIT_SECRET="fault-test-ratelimit-" + "r" * 30,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SEALED_STORAGE_DIR=storage,
        PYTHONPATH=str(ROOT),
    )
    return env


BOOTSTRAP = """
import django; django.setup()
from accounts import services
from accounts.models import Role
r = services.bootstrap("Faults", "coordinator", "coordinator-fault-pass-1")
key = services.unlock_private_key(r.coordinator, "coordinator-fault-pass-1")
services.add_staff("ines", Role.INTAKE, "ines-fault-pass-1-x", r.coordinator, key)
"""


def prepare_database(env: dict[str, str]) -> None:
    python = str(VENV_BIN / "python")
    for args in (["manage.py", "migrate", "--no-input"], ["-c", BOOTSTRAP]):
        subprocess.run([python, *args], env=env, cwd=ROOT, check=True, capture_output=True)
