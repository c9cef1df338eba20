"""The services' own settings, tried on real servers on free ports: Redis with
deploy/redis/redis.conf.in, PostgreSQL with deploy/postgresql/ (the roles and grants
install.sh gives it), and gunicorn with deploy/gunicorn.conf.py."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
import redis

from tests.servers import PostgresCluster, _as_postgres, free_port, missing_tools

from .host_support import DEPLOY, ROOT, need

TIME = re.compile(r"\d\d:\d\d")


def _rendered(template: Path, **values: str) -> str:
    return subprocess.run(
        [str(DEPLOY / "render.sh"), str(template)],
        env={"PATH": os.environ["PATH"], **values},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _wait(check, what: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001,S110 - not up yet
            pass
        time.sleep(0.1)
    pytest.fail(f"{what} did not start")


@pytest.fixture
def redis_server(tmp_path):
    need("redis-server")
    password = secrets.token_hex(32)
    conf = tmp_path / "redis.conf"
    conf.write_text(_rendered(DEPLOY / "redis/redis.conf.in", AMANAT_REDIS_PASSWORD=password))
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            str(conf),
            "--port",
            str(port),
            "--dir",
            str(tmp_path),
            "--pidfile",
            str(tmp_path / "pid"),
            "--supervised",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, password=password, socket_timeout=2)
    try:
        _wait(client.ping, "redis-server")
        yield port, password, client, process
    finally:
        process.kill()
        process.wait()


def test_it_gives_redis_a_password_and_no_command_that_wipes_or_watches(redis_server):
    port, _, client, _ = redis_server
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=port, socket_timeout=2).set("k", "v")
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=port, password="wrong", socket_timeout=2).ping()
    client.set("k", "1")
    assert client.eval("return redis.call('incr', KEYS[1])", 1, "k") == 2  # the cache's incr
    for command in (
        "FLUSHALL",
        "FLUSHDB",
        "CONFIG GET *",
        "KEYS *",
        "MONITOR",
        "DEBUG SLEEP 0",
        "SAVE",
        "BGSAVE",
        "REPLICAOF 127.0.0.1 1",
        "SHUTDOWN",
        "MODULE LIST",
    ):
        with pytest.raises(redis.ResponseError, match="unknown command"):
            client.execute_command(*command.split())
    assert client.get("k") == b"2"


def test_it_keeps_nothing_redis_holds_on_disk(redis_server, tmp_path):
    _, _, client, process = redis_server
    client.set("counter", "1")
    process.send_signal(signal.SIGTERM)  # a clean stop would write a snapshot if one were set
    process.wait(timeout=20)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redis.conf"]


def test_it_binds_redis_to_the_loopback_only(redis_server):
    port = redis_server[0]
    addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    others = [a for a in addresses if not a.startswith("127.") and ":" not in a]
    assert others, "this machine has no address but the loopback to try"
    with pytest.raises(OSError), socket.create_connection((others[0], port), timeout=2):
        pass


def _psql(cluster: PostgresCluster, sql: str, database: str = "postgres") -> str:
    """As the postgres user on the cluster's socket (peer, like `sudo -u postgres psql`)."""
    return subprocess.run(
        _as_postgres(
            [
                str(cluster.bin / "psql"),
                "-h",
                str(cluster.folder),
                "-p",
                str(cluster.port),
                "-d",
                database,
                "-q",
                "-X",
                "-At",
            ]
        ),
        input=sql,
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    ).stdout


def _roles(cluster: PostgresCluster, owner: str, app: str) -> None:
    sql = f"\\set owner_password '{owner}'\n\\set app_password '{app}'\n"
    _psql(cluster, sql + (DEPLOY / "postgresql/roles.sql").read_text())


@pytest.fixture(scope="module")
def postgres():
    if why := missing_tools():
        pytest.fail(f"{why}: `make test` needs it")
    cluster = PostgresCluster()
    try:
        cluster.run(
            [
                str(cluster.bin / "dropdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                "-U",
                "postgres",
                "amanat",
            ]
        )
        data = cluster.data
        shutil.copy(DEPLOY / "postgresql/amanat.conf", data / "amanat.conf")
        shutil.copy(DEPLOY / "postgresql/pg_hba.conf", data / "pg_hba.conf")
        with open(data / "postgresql.conf", "a") as conf:
            conf.write("include 'amanat.conf'\n")
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-days",
                "1",
                "-keyout",
                str(data / "server.key"),
                "-out",
                str(data / "server.crt"),
            ],
            check=True,
            capture_output=True,
        )
        os.chmod(data / "server.key", 0o600)
        if os.getuid() == 0:
            for name in ("amanat.conf", "pg_hba.conf", "server.key", "server.crt"):
                shutil.chown(data / name, "postgres", "postgres")
        cluster.stop()
        start = (cluster.folder / "log").stat().st_size  # the lines from before our settings
        cluster.start()
        owner, app = secrets.token_hex(32), secrets.token_hex(32)
        _roles(cluster, owner, app)
        env = {
            **os.environ,
            "AMANAT_ENV": "test",
            "DATABASE_URL": f"postgres://amanat_owner:{owner}@127.0.0.1:{cluster.port}/amanat",
        }
        env.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        _roles(cluster, owner, app)  # again after the migrations, as install.sh does
        yield cluster, owner, app, start
    finally:
        cluster.close()


def _one(db: psycopg.Connection, sql: str, params: tuple = ()) -> object:
    row = db.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def _connect(cluster, user: str, password: str) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1",
        port=cluster.port,
        dbname="amanat",
        user=user,
        password=password,
        autocommit=True,
    )


def test_it_lets_the_app_role_only_add_to_the_audit_chain(postgres):
    cluster, _, app, _ = postgres
    with _connect(cluster, "amanat", app) as db:

        def can(table: str, what: str) -> bool:
            return _one(db, "SELECT has_table_privilege('amanat', %s, %s)", (table, what)) is True

        assert can("audit_entry", "SELECT") and can("audit_entry", "INSERT")
        assert not can("audit_entry", "UPDATE") and not can("audit_entry", "DELETE")
        assert can("audit_head", "UPDATE") and not can("audit_head", "DELETE")
        assert can("audit_waiting", "DELETE") and not can("audit_waiting", "UPDATE")
        assert can("intake_report", "UPDATE") and can("intake_report", "DELETE")
        for statement in (
            "UPDATE audit_entry SET id = id",
            "DELETE FROM audit_entry",
            "TRUNCATE audit_entry",
            "DROP TABLE audit_head",
            "CREATE TABLE mine (id int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(statement)


def test_it_lets_roles_in_with_their_password_only(postgres):
    cluster, owner, app, _ = postgres
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        _connect(cluster, "amanat", owner)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host="127.0.0.1", port=cluster.port, dbname="postgres", user="amanat", password=app
        )
    with _connect(cluster, "amanat", app) as db:
        assert _one(db, "SHOW password_encryption") == "scram-sha-256"
        assert _one(db, "SHOW ssl") == "on"


def test_it_keeps_values_addresses_and_times_out_of_the_postgres_log(postgres):
    cluster, owner, app, start = postgres
    with _connect(cluster, "amanat", app) as db:
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            db.execute("SELECT 'leaky-value-4711'::int")
    with _connect(cluster, "amanat_owner", owner) as db:
        db.execute("CREATE TABLE t (v text UNIQUE)")
        db.execute("INSERT INTO t VALUES ('leaky-value-4712')")
        with pytest.raises(psycopg.errors.UniqueViolation):
            db.execute("INSERT INTO t VALUES ('leaky-value-4712')")
    with pytest.raises(psycopg.OperationalError):
        _connect(cluster, "amanat", "wrong-password")
    time.sleep(0.5)
    log = (cluster.folder / "log").read_bytes()[start:].decode()
    assert "password authentication failed" in log  # the log works...
    assert "leaky-value" not in log  # ...and quotes no value
    # The one address PostgreSQL names is a machine's it refused at the door (no pg_hba.conf
    # line): only the servers' own network reaches it, never a reporter.
    for line in log.splitlines():
        assert "127.0.0.1" not in line or "no pg_hba.conf entry" in line, line
    assert not TIME.search(log), log


def test_it_logs_gunicorn_lines_with_the_day_only_and_no_request(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMANAT_", "REDIS_"))}
    env.update(AMANAT_ENV="test", AMANAT_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/static/css/amanat.css?visit=secret-marker"
        _wait(lambda: urllib.request.urlopen(url, timeout=2).status == 200, "gunicorn")
        for _ in range(3):
            urllib.request.urlopen(url, timeout=2).read()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    lines = [line for line in output.splitlines() if line.strip()]
    assert any("Booting worker" in line for line in lines)  # gunicorn's own lines are there
    for line in lines:
        assert re.match(r"\d{4}-\d\d-\d\d \[\d+\] \[[A-Z]+\] |\d{4}-\d\d-\d\d [A-Z]+ ", line), line
        assert not TIME.search(line.replace(f":{port}", "")), line
    assert "secret-marker" not in output and "amanat.css" not in output and "GET" not in output


def test_it_binds_gunicorn_where_the_settings_file_says(tmp_path):
    # The web unit gives gunicorn no address: deploy/gunicorn.conf.py reads AMANAT_WEB_BIND
    # (a web node's private address), as systemd passes it from the settings file.
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMANAT_", "REDIS_"))}
    env.update(
        AMANAT_ENV="test",
        AMANAT_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        AMANAT_WEB_BIND=f"127.0.0.1:{port}",
    )
    unit = (DEPLOY / "systemd/amanat-web.service.in").read_text()
    (command,) = re.findall(r"^ExecStart=\S+/bin/gunicorn (.*)$", unit, re.MULTILINE)
    args = [*command.replace("@@AMANAT_ROOT@@/", "").split(), "-w", "1"]
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/static/css/amanat.css"
        _wait(lambda: urllib.request.urlopen(url, timeout=2).status == 200, "gunicorn")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
