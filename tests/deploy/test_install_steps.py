"""install.sh's own steps for real, not in --root mode: the secrets, the database roles,
collectstatic, migrations as the owner role, Django's deployment check and bootstrap, run
by sourcing the script and calling its functions against a PostgreSQL cluster and a Redis
of this test's own. Only the settings folder and the service user differ from a server
(root here: the interpreter under test lives where no other user may run it)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess

import psycopg
import pytest
import redis

from tests.servers import PostgresCluster, free_port, missing_tools

from .host_support import DEPLOY, HOST, ONION, ROOT, need
from .test_host_services import _rendered, _wait

# Sources install.sh (which then runs nothing) and calls the functions named as arguments.
DRIVER = r"""
source "$DEPLOY/install.sh"
HOST=amanat.example.org ORG_NAME="Our NGO" COORDINATOR=amina PASSWORD_FILE=$WORK/password
export AMANAT_HOST=$HOST AMANAT_ONION_HOST=$ONION AMANAT_ALLOWED_HOSTS=$HOST,$ONION
export AMANAT_CSRF_ORIGINS=https://$HOST,http://$ONION
for call in "$@"; do
    STEP=$call
    "$call"
done
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if why := missing_tools():
        pytest.fail(f"{why}: `make test` needs it")
    need("runuser")
    work = tmp_path_factory.mktemp("install")
    cluster = PostgresCluster()
    password = secrets.token_hex(32)
    (work / "redis.conf").write_text(
        _rendered(DEPLOY / "redis/redis.conf.in", AMANAT_REDIS_PASSWORD=password)
    )
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            str(work / "redis.conf"),
            "--port",
            str(port),
            "--dir",
            str(work),
            "--pidfile",
            str(work / "redis.pid"),
            "--supervised",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(redis.Redis(port=port, password=password, socket_timeout=2).ping, "redis-server")
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
        (work / "etc").mkdir(mode=0o700)
        # Left by an earlier run that stopped after Redis was set up: its password is kept.
        (work / "etc/amanat.env").write_text(f"REDIS_URL=redis://:{password}@127.0.0.1:{port}/0\n")
        (work / "password").write_text("a long coordinator passphrase 4711\n")
        (work / "data/static").mkdir(parents=True)
        env = {
            "PATH": os.environ["PATH"],
            "DEPLOY": str(DEPLOY),
            "WORK": str(work),
            "ONION": ONION,
            "AMANAT_ENV_FILE": str(work / "etc/amanat.env"),
            "AMANAT_DATA": str(work / "data"),
            "AMANAT_USER": "root",
            "AMANAT_DB_ADDRESS": f"127.0.0.1:{cluster.port}",
            "AMANAT_REDIS_ADDRESS": f"127.0.0.1:{port}",
            # psql as postgres reaches this test's cluster, not the machine's.
            "PGHOST": str(cluster.folder),
            "PGPORT": str(cluster.port),
        }
        yield cluster, work, env, password
    finally:
        server.kill()
        server.wait()
        cluster.close()


def _call(env: dict[str, str], *functions: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", DRIVER, "driver", *functions],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _settings(work) -> dict[str, str]:
    lines = (work / "etc/amanat.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_it_migrates_checks_and_bootstraps_once_with_the_roles_it_makes(servers):
    cluster, work, env, redis_password = servers
    env = {**env, "AMANAT_EDGE_PAGES": str(work / "nginx-pages")}
    done = _call(env, "step_secrets", "roles_sql", "step_django", "step_bootstrap", "edge_pages")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    settings = _settings(work)
    assert settings["ALLOWED_HOSTS"] == f"{HOST},{ONION}"
    assert settings["REDIS_URL"] == f"redis://:{redis_password}@{env['AMANAT_REDIS_ADDRESS']}/0"
    assert (work / "etc/amanat.env").stat().st_mode & 0o777 == 0o600
    assert (work / "etc/migrate.env").stat().st_mode & 0o777 == 0o600
    assert (work / "data/static/css").is_dir()  # collectstatic
    assert "System check identified no issues" in output  # check --deploy, production
    assert "Organisation 'Our NGO' created; coordinator 'amina'." in done.stdout
    assert len(re.findall(r"(?m)^Share \d+:$", done.stdout)) == 5  # printed, once
    pages = sorted(p.name for p in (work / "nginx-pages").iterdir())
    assert pages == ["busy.html", "not_found.html", "too_large.html", "unavailable.html"]

    again = _call(env, "step_secrets", "step_bootstrap")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "the organisation exists already: bootstrap is not run again" in again.stdout
    assert "Share 1:" not in again.stdout
    assert _settings(work) == settings  # the secrets are kept

    app = re.fullmatch(r"postgres://amanat:([0-9a-f]{64})@[\d.:]+/amanat", settings["DATABASE_URL"])
    assert app
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, dbname="amanat", user="amanat", password=app[1]
    ) as db:
        assert db.execute("SELECT count(*) FROM accounts_organisation").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM audit_entry").fetchone() != (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("DELETE FROM audit_entry")

    # The administrator's way to run a command with these settings.
    manage = work / "amanat-manage"
    manage.write_text(
        _rendered(
            DEPLOY / "amanat-manage.in",
            AMANAT_ENV_FILE=env["AMANAT_ENV_FILE"],
            AMANAT_ROOT=str(ROOT),
            AMANAT_VENV=str(ROOT / ".venv"),
            AMANAT_USER="root",
        )
    )
    manage.chmod(0o700)
    audit = subprocess.run(
        [str(manage), "verify_audit"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        timeout=120,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_it_stops_bootstrap_with_a_clear_message_when_the_database_cannot_answer(servers):
    _, _, env, _ = servers
    broken = {**env, "AMANAT_DB_ADDRESS": f"127.0.0.1:{free_port()}"}
    done = _call(broken, "step_secrets", "step_bootstrap")
    assert done.returncode == 1
    assert "Could not ask the database whether the organisation exists." in done.stderr
    assert "FAILED at step 'step_bootstrap'" in done.stderr
    assert "Share 1:" not in done.stdout
