"""Attacks on the server's own part of deploy/: the service user turning install.sh's root
powers on files of its choice, and settings that reach a shell or a unit as code."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .host_support import DEPLOY, deploy_copy, fake_tor, install


def _installed(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    first = install(deploy, root)
    assert first.returncode == 0, first.stdout + first.stderr
    return deploy, root


def test_it_refuses_a_data_folder_the_service_user_replaced_by_a_link(tmp_path):
    # The amanat user owns /var/lib/amanat: it can put a link to /etc/amanat (or /etc) in
    # place of static/, and the next run, as root, would chmod and chown the link's target.
    deploy, root = _installed(tmp_path)
    settings = root / "etc/amanat"
    static = root / "var/lib/amanat/static"
    static.rmdir()
    static.symlink_to(settings)
    again = install(deploy, root)
    assert again.returncode != 0
    assert "var/lib/amanat/static is a symbolic link" in again.stderr
    assert settings.stat().st_mode & 0o777 == 0o700
    assert static.is_symlink()


def test_it_writes_no_setting_with_a_line_break_into_a_unit_or_the_settings_file(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    hostile = {
        "--allow-net": "localhost\nExecStartPre=+/bin/touch /tmp/pwned",
        # nginx's site: a certificate path with a line of configuration of its own.
        "--cert": "/etc/hostname;\n    location /x { return 200; }\n    #",
    }
    for option, value in hostile.items():
        run = install(deploy, root, option, value)
        assert run.returncode != 0, run.stdout
        assert "line break" in run.stderr
    for name in ("AMANAT_WEB_BIND", "AMANAT_TRUSTED_PROXIES", "AMANAT_DB_ADDRESS"):
        run = install(deploy, root, env={name: "127.0.0.1:8000\nSECRET_KEY=known"})
        assert run.returncode != 0, run.stdout
        assert f"{name}" in run.stderr and "line break" in run.stderr
    for unit in (root / "etc/systemd/system").glob("*.service"):
        assert "ExecStartPre=+" not in unit.read_text()
    env = root / "etc/amanat/amanat.env"
    assert not env.exists() or "SECRET_KEY=known" not in env.read_text()


def _amanat_manage(root: Path, settings: Path, venv: Path, user: str) -> Path:
    """deploy/amanat-manage.in rendered into `root` for this code, venv and service user."""
    rendered = subprocess.run(
        [str(DEPLOY / "render.sh"), str(DEPLOY / "amanat-manage.in")],
        env={
            "PATH": os.environ["PATH"],
            "AMANAT_ENV_FILE": str(settings),
            "AMANAT_ROOT": str(root),
            "AMANAT_VENV": str(venv),
            "AMANAT_USER": user,
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    manage = root / "amanat-manage"
    manage.write_text(rendered)
    manage.chmod(0o700)
    return manage


def test_it_reads_the_settings_in_amanat_manage_as_systemd_does_never_running_them(tmp_path):
    # systemd takes a value literally; amanat-manage ran the file through bash, which
    # would run $(...) in a value as root (e.g. in a database password with a `$`).
    marker = tmp_path / "ran"
    settings = tmp_path / "amanat.env"
    settings.write_text(
        "# settings\n"
        f"DATABASE_REPLICA_URL=postgres://amanat:pa$(touch {marker})ss@10.0.0.4/amanat\n"
        "AWS_SECRET_ACCESS_KEY=a`id`b$HOME\n"
    )
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin/python"
    python.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$DATABASE_REPLICA_URL" "$AWS_SECRET_ACCESS_KEY"\n'
    )
    python.chmod(0o755)
    manage = _amanat_manage(tmp_path, settings, venv, "root")
    run = subprocess.run([str(manage), "check"], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert run.stdout.splitlines() == [
        f"postgres://amanat:pa$(touch {marker})ss@10.0.0.4/amanat",
        "a`id`b$HOME",
    ]


def test_it_migrates_and_bootstraps_as_root_and_shows_the_service_user_no_owner_password(tmp_path):
    # The owner role may rewrite the audit log. Any process of the amanat user is readable
    # by every other (/proc/PID/environ): a migration run as amanat handed its password to
    # whoever has a shell as amanat, and so did collectstatic's inherited environment.
    # Bootstrap holds the recovery shares: its pipes and memory are as open to that user.
    shared = Path(tempfile.mkdtemp(prefix="amanat-attack-"))  # nobody must reach the venv
    try:
        shared.chmod(0o755)
        python = shared / "bin/python"
        python.parent.mkdir(mode=0o755)
        python.parent.chmod(0o755)
        python.write_text(
            '#!/bin/sh\n[ "$2" = shell ] && exit 3\n'
            'echo "$(id -un) $2 $(env | grep -c 0wnerpa55)"\n'
        )
        python.chmod(0o755)
        settings, migrate = tmp_path / "amanat.env", tmp_path / "migrate.env"
        settings.write_text("DATABASE_URL=postgres://amanat:app@127.0.0.1:5432/amanat\n")
        migrate.write_text("DATABASE_URL=postgres://amanat_owner:0wnerpa55@127.0.0.1/amanat\n")
        driver = (
            f'source "{DEPLOY}/install.sh"\n'
            "roles_sql() { :; }\n"
            "ROLE=all MIGRATE_ENV=$MIGRATE AMANAT_DB_OWNER_PASSWORD=0wnerpa55\n"
            "export AMANAT_DB_OWNER_PASSWORD\n"
            "step_django\n"
            "HOST=amanat.example.org ORG_NAME=NGO COORDINATOR=amina step_bootstrap\n"
        )
        run = subprocess.run(
            ["bash", "-c", driver],
            env={
                "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
                "AMANAT_ROOT": str(shared),
                "AMANAT_VENV": str(shared),
                "AMANAT_USER": "nobody",
                "AMANAT_ENV_FILE": str(settings),
                "MIGRATE": str(migrate),
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(shared)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        "root config.compile_catalogs 0",  # into the code, which is root's
        "nobody collectstatic 0",
        "root migrate 1",
        "nobody check 0",
        "",
        "  The recovery shares are printed ONCE below. Write each on paper for a different",
        "  trustee now; Amanat keeps no copy and cannot show them again.",
        "root bootstrap 0",
    ]


def test_it_runs_the_commands_that_read_the_shares_as_root_in_amanat_manage():
    # recover and rebuild_buckets rebuild the recovery key from the trustees' shares: as
    # the amanat user, any shell of that user could read them from the command's stdin
    # pipe (/proc/PID/fd/0) or its memory.
    shared = Path(tempfile.mkdtemp(prefix="amanat-attack-"))
    try:
        shared.chmod(0o755)
        (shared / "bin").mkdir(mode=0o755)
        (shared / "bin").chmod(0o755)
        python = shared / "bin/python"
        python.write_text('#!/bin/sh\necho "$(id -un) $2"\n')
        python.chmod(0o755)
        settings = shared / "amanat.env"
        settings.write_text("AMANAT_ENV=production\n")
        manage = _amanat_manage(shared, settings, shared, "nobody")
        said = [
            subprocess.run(
                [str(manage), command], capture_output=True, text=True, timeout=30
            ).stdout.strip()
            for command in ("recover", "rebuild_buckets", "verify_audit")
        ]
    finally:
        shutil.rmtree(shared)
    assert said == ["root recover", "root rebuild_buckets", "nobody verify_audit"]


def test_it_keeps_the_settings_file_when_its_template_cannot_be_filled(tmp_path):
    # `render | put`: put ran to its end (and installed what it read: nothing of the
    # template) before the failed render was noticed; the next run then made new secrets,
    # and no receipt found its report again.
    deploy, root = _installed(tmp_path)
    settings = root / "etc/amanat/amanat.env"
    before = settings.read_bytes()
    with (deploy / "amanat.env.in").open("a") as template:
        template.write("NEW_SETTING=@@AMANAT_NOT_GIVEN@@\n")
    again = install(deploy, root)
    assert again.returncode != 0
    assert "no value for AMANAT_NOT_GIVEN" in again.stderr
    assert settings.read_bytes() == before
    site = root / "etc/nginx/sites-enabled/amanat.conf"
    site_before = site.read_bytes()
    with (deploy / "nginx/amanat.conf.in").open("a") as template:
        template.write("# @@AMANAT_NOT_GIVEN@@\n")
    (deploy / "amanat.env.in").write_bytes((DEPLOY / "amanat.env.in").read_bytes())
    again = install(deploy, root)
    assert again.returncode != 0
    assert site.read_bytes() == site_before
