"""Shared by the tests of the server's own part of deploy/: the install script in --root
mode, the check, and the services' settings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
ONION = "a" * 56 + ".onion"
HOST = "amanat.example.org"

# When the nginx or tor folders of deploy hold no templates yet, the install script is given the
# smallest ones that use the same placeholders, so its own steps can still be tested.
_NGINX = """events {}
http {
    include @@AMANAT_CLIENT_KEY_CONF@@;
    server {
        listen @@AMANAT_HTTPS_LISTEN@@ ssl;
        server_name @@AMANAT_HOST@@;
        ssl_certificate @@AMANAT_TLS_CERT@@;
        ssl_certificate_key @@AMANAT_TLS_KEY@@;
        add_header Onion-Location http://@@AMANAT_ONION_HOST@@$request_uri;
    }
}
"""
_TORRC = "HiddenServiceDir /var/lib/tor/amanat/\nHiddenServicePort 80 @@AMANAT_ONION_LISTEN@@\n"


def need(*tools: str) -> None:
    for tool in tools:
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed here: `make test` installs it (deploy-tools)")


def deploy_copy(folder: Path) -> Path:
    """A copy of deploy/ to run or break, with the web-server templates it needs."""
    copy = folder / "deploy"
    shutil.copytree(DEPLOY, copy)
    if not list((copy / "nginx").glob("*.in")):
        (copy / "nginx").mkdir(exist_ok=True)
        (copy / "nginx" / "nginx.conf.in").write_text(_NGINX)
    if not (copy / "tor" / "torrc.in").exists() and not (copy / "tor" / "torrc").exists():
        (copy / "tor").mkdir(exist_ok=True)
        (copy / "tor" / "torrc.in").write_text(_TORRC)
    return copy


def fake_tor(root: Path) -> None:
    """What Tor writes once its onion service is up: the address, read back by install.sh."""
    folder = root / "var/lib/tor/amanat"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostname").write_text(ONION + "\n")


def install(deploy: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """install.sh in --root mode: files under `root`, no command run; no terminal."""
    return subprocess.run(
        [
            str(deploy / "install.sh"),
            "--root",
            str(root),
            "--host",
            HOST,
            "--org-name",
            "Our NGO",
            "--coordinator",
            "coordinator",
            *args,
        ],
        env={
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
            "AMANAT_ROOT": str(ROOT),
            "AMANAT_VENV": "/opt/amanat/.venv",
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root: its bytes and its mode."""
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mode & 0o7777)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def env_file(root: Path) -> dict[str, str]:
    values = {}
    for line in (root / "etc/amanat/amanat.env").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values
