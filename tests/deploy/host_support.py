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
STAFF_ONION = "b" * 56 + ".onion"
HOST = "amanat.example.org"

# Until the nginx and tor folders of deploy hold their files, the install script is given
# the smallest ones with the same names and placeholders, so its own steps can be tested.
_EDGE = {
    "nginx/nginx.conf": "events {}\nhttp { include sites-enabled/*.conf; }\n",
    "nginx/amanat.conf.in": """server {
    listen @@AMANAT_HTTPS_LISTEN@@ ssl;
    server_name @@AMANAT_HOST@@;
    ssl_certificate @@AMANAT_TLS_CERT@@;
    ssl_certificate_key @@AMANAT_TLS_KEY@@;
    include @@AMANAT_CLIENT_KEY_CONF@@;
    add_header Onion-Location http://@@AMANAT_ONION_HOST@@$request_uri always;
    location / { proxy_pass http://amanat; }
}
upstream amanat { @@AMANAT_UPSTREAMS@@ }
server { listen @@AMANAT_ONION_LISTEN@@ proxy_protocol; server_name @@AMANAT_ONION_HOST@@; }
""",
    "nginx/client.js": "function token(r) { return ''; }\nexport default { token };\n",
    "nginx/amanat-staff.conf.in": "server { listen @@AMANAT_STAFF_ONION_LISTEN@@ proxy_protocol; "
    "server_name @@AMANAT_STAFF_ONION_HOST@@; }\n",
    "nginx/amanat-staff-only.conf": "location /staff/ { return 404; }\n",
    "tor/torrc.in": "HiddenServiceDir /var/lib/tor/amanat/\n"
    "HiddenServicePort 80 @@AMANAT_ONION_LISTEN@@\n",
    "tor/torrc-staff.in": "HiddenServiceDir /var/lib/tor/amanat-staff/\n"
    "HiddenServicePort 80 @@AMANAT_STAFF_ONION_LISTEN@@\n",
}


def need(*tools: str) -> None:
    for tool in tools:
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed here: `make test` installs it (deploy-tools)")


def deploy_copy(folder: Path) -> Path:
    """A copy of deploy/ to run or break, with the web-server templates it needs."""
    copy = folder / "deploy"
    shutil.copytree(DEPLOY, copy)
    for name, text in _EDGE.items():
        if not (copy / name).exists():
            (copy / name).parent.mkdir(exist_ok=True)
            (copy / name).write_text(text)
    return copy


def fake_tor(root: Path, service: str = "amanat", name: str = ONION) -> None:
    """What Tor writes once an onion service is up: its address, read back by install.sh."""
    folder = root / "var/lib/tor" / service
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostname").write_text(name + "\n")


def install(
    deploy: Path, root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """install.sh in --root mode: files under `root`, no command run; no terminal; `env`
    adds to its environment."""
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
            **(env or {}),
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
