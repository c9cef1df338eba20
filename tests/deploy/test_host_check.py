"""deploy/check.sh, the deploy check CI runs without a server: it passes on deploy/ as it is,
and fails, naming the cause, on a broken unit, a unit without its sandbox, a script
shellcheck refuses, or unattended upgrades that would take more than security updates."""

from __future__ import annotations

import subprocess

from .host_support import DEPLOY, deploy_copy, need

TOOLS = ("systemd-analyze", "shellcheck", "logrotate", "apt-config")


def _check(deploy=DEPLOY) -> subprocess.CompletedProcess[str]:
    need(*TOOLS)
    return subprocess.run(
        [str(DEPLOY / "check.sh"), str(deploy)], capture_output=True, text=True, timeout=120
    )


def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new))


def test_it_passes_on_deploy_as_it_is():
    done = _check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all deploy checks passed" in done.stdout


def test_it_fails_on_a_unit_systemd_does_not_understand(tmp_path):
    deploy = deploy_copy(tmp_path)
    _edit(
        deploy / "systemd/amanat-worker.service.in",
        "ProtectSystem=strict",
        "ProtectSystem=sometimes",
    )
    done = _check(deploy)
    assert done.returncode == 1
    assert "systemd-analyze verify complained" in done.stderr
    assert "amanat-worker.service:" in done.stderr and "sometimes" in done.stderr


def test_it_fails_on_a_unit_whose_program_does_not_exist(tmp_path):
    deploy = deploy_copy(tmp_path)
    _edit(deploy / "systemd/amanat-web.service.in", "/bin/gunicorn ", "/bin/gunicron ")
    done = _check(deploy)
    assert done.returncode == 1
    assert "gunicron" in done.stderr


def test_it_fails_on_a_unit_without_its_sandbox(tmp_path):
    deploy = deploy_copy(tmp_path)
    unit = deploy / "systemd/amanat-beat.service.in"
    sandbox = unit.read_text().split("# The sandbox.")[1].split("[Install]")[0]
    _edit(unit, sandbox, "\n\n")
    done = _check(deploy)
    assert done.returncode == 1
    assert "amanat-beat.service is more exposed than 20" in done.stderr


def test_it_fails_on_a_script_shellcheck_refuses(tmp_path):
    deploy = deploy_copy(tmp_path)
    (deploy / "extra.sh").write_text("#!/usr/bin/env bash\nrm -rf $1/data\n")
    done = _check(deploy)
    assert done.returncode == 1
    assert "shellcheck found problems" in done.stderr
    assert "extra.sh" in done.stdout


def test_it_fails_when_unattended_upgrades_would_take_more_than_security(tmp_path):
    deploy = deploy_copy(tmp_path)
    _edit(
        deploy / "apt/52amanat-unattended-upgrades",
        "#clear Unattended-Upgrade::Origins-Pattern;\n",
        "",
    )
    done = _check(deploy)
    assert done.returncode == 1
    assert "not follow Debian-Security alone" in done.stderr


def test_it_fails_on_a_template_with_a_placeholder_nobody_fills(tmp_path):
    deploy = deploy_copy(tmp_path)
    _edit(deploy / "redis/redis.conf.in", "port 6379", "port @@AMANAT_REDIS_PORT@@")
    done = _check(deploy)
    assert done.returncode != 0
    assert "no value for AMANAT_REDIS_PORT" in done.stderr
