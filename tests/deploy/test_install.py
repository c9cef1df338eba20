"""deploy/install.sh, run in --root mode: every file it would write lands in a folder and
every system command is only printed, so its own logic is tested without a server."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .host_support import (
    HOST,
    ONION,
    ROOT,
    STAFF_ONION,
    deploy_copy,
    env_file,
    fake_tor,
    files,
    install,
)

SECRETS = ("SECRET_KEY", "RECEIPT_PEPPER", "RATELIMIT_SECRET")


def _installed(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    first = install(deploy, root)
    assert first.returncode == 0, first.stdout + first.stderr
    return deploy, root, first


def test_it_writes_the_same_bytes_on_a_second_run_and_says_nothing_changed(tmp_path):
    deploy, root, first = _installed(tmp_path)
    before = files(root)
    second = install(deploy, root)
    assert second.returncode == 0, second.stdout + second.stderr
    assert files(root) == before
    assert "wrote " not in second.stdout and "made " not in second.stdout
    assert "Done: nothing changed" in second.stdout
    assert "Done: nothing changed" not in first.stdout
    # Running services are restarted only when something changed.
    assert "would run: systemctl restart amanat.target" in first.stdout
    assert "would run: systemctl start amanat.target" in second.stdout
    assert "restart amanat.target" not in second.stdout
    for unit in ("amanat-web", "amanat-worker", "amanat-beat"):
        assert f"etc/systemd/system/{unit}.service" in before


def test_it_makes_each_secret_once_and_keeps_them_root_only(tmp_path):
    deploy, root, _ = _installed(tmp_path)
    values = env_file(root)
    made = [values[name] for name in SECRETS]
    database = re.fullmatch(
        r"postgres://amanat:([0-9a-f]+)@127\.0\.0\.1:5432/amanat", values["DATABASE_URL"]
    )
    cache = re.fullmatch(r"redis://:([0-9a-f]+)@127\.0\.0\.1:6379/0", values["REDIS_URL"])
    assert database and cache
    made += [database[1], cache[1]]
    assert all(re.fullmatch(r"[0-9a-f]{64}", secret) for secret in made)
    assert len(set(made)) == len(made)
    client_key = (root / "etc/nginx/amanat-client-key.conf").read_text()
    assert re.fullmatch(r'set \$amanat_client_key "[0-9a-f]{64}";\n', client_key)
    for path in (
        "etc/amanat/amanat.env",
        "etc/amanat/migrate.env",
        "etc/nginx/amanat-client-key.conf",
    ):
        assert (root / path).stat().st_mode & 0o777 == 0o600, path
    assert (root / "etc/amanat").stat().st_mode & 0o777 == 0o700
    assert (root / "var/lib/amanat/sealed").stat().st_mode & 0o777 == 0o700
    assert values[SECRETS[0]] not in (root / "etc/redis/redis.conf").read_text()
    # Kept through a second run, and a lost line is made again without touching the rest.
    install(deploy, root)
    assert env_file(root) == values
    assert (root / "etc/nginx/amanat-client-key.conf").read_text() == client_key
    text = (root / "etc/amanat/amanat.env").read_text()
    (root / "etc/amanat/amanat.env").write_text(re.sub(r"(?m)^RATELIMIT_SECRET=.*\n", "", text))
    install(deploy, root)
    again = env_file(root)
    assert again["RATELIMIT_SECRET"] != values["RATELIMIT_SECRET"]
    assert {k: v for k, v in again.items() if k != "RATELIMIT_SECRET"} == {
        k: v for k, v in values.items() if k != "RATELIMIT_SECRET"
    }


def test_it_refuses_to_make_a_new_receipt_pepper_for_an_installed_server(tmp_path):
    deploy, root, _ = _installed(tmp_path)
    settings = root / "etc/amanat/amanat.env"
    kept = re.sub(r"(?m)^RECEIPT_PEPPER=.*\n", "", settings.read_text())
    settings.write_text(kept)
    again = install(deploy, root)
    assert again.returncode != 0
    assert "FAILED at step 'secrets'" in again.stderr
    assert "Put back the RECEIPT_PEPPER line from your backup" in again.stderr
    assert settings.read_text() == kept  # nothing made, nothing else changed


def test_it_renders_the_onion_name_tor_wrote_into_settings_and_nginx(tmp_path):
    _, root, first = _installed(tmp_path)
    values = env_file(root)
    assert values["ALLOWED_HOSTS"] == f"{HOST},{ONION}"
    assert f"http://{ONION}" in values["CSRF_TRUSTED_ORIGINS"].split(",")
    site = (root / "etc/nginx/sites-enabled/amanat.conf").read_text()
    assert f"Onion-Location http://{ONION}" in site
    assert "server 127.0.0.1:8000;" in site
    assert ONION in first.stdout
    assert not (root / "etc/nginx/sites-enabled/amanat-staff.conf").exists()
    # nginx's own error pages: the include, and the command that writes them.
    assert "include amanat-pages.conf;" in site
    pages = (root / "etc/nginx/amanat-pages.conf").read_text()
    assert "alias /etc/nginx/amanat-pages/;" in pages
    assert "manage.py edge_pages /etc/nginx/amanat-pages" in first.stdout
    assert "-m config.compile_catalogs" in first.stdout  # else every page is English
    # The capped tmpfs nginx waits on bodies in, required by nginx.
    mount = (root / "etc/systemd/system/run-amanatedge.mount").read_text()
    assert "Options=size=25%%,mode=0755,nosuid,nodev,noexec" in mount  # %% in a unit is %
    dropin = (root / "etc/systemd/system/nginx.service.d/amanat.conf").read_text()
    assert "RequiresMountsFor=/run/amanatedge" in dropin
    assert "systemctl start run-amanatedge.mount" in first.stdout
    nginx_conf = (root / "etc/nginx/nginx.conf").read_text()
    assert "client_body_temp_path /run/amanatedge/body;" in nginx_conf


def test_it_adds_the_staff_onion_when_asked_and_keeps_it_in_later_runs(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    fake_tor(root, "amanat-staff", STAFF_ONION)
    done = install(deploy, root, "--staff-onion")
    assert done.returncode == 0, done.stdout + done.stderr
    values = env_file(root)
    assert values["ALLOWED_HOSTS"] == f"{HOST},{ONION},{STAFF_ONION}"
    assert f"http://{STAFF_ONION}" in values["CSRF_TRUSTED_ORIGINS"].split(",")
    assert (root / "etc/tor/torrc.d/amanat-staff.conf").exists()
    assert STAFF_ONION in (root / "etc/nginx/sites-enabled/amanat-staff.conf").read_text()
    assert (root / "etc/nginx/amanat-staff-only.conf").exists()
    before = files(root)
    again = install(deploy, root)  # without the option: the staff onion stays
    assert "Done: nothing changed" in again.stdout, again.stdout + again.stderr
    assert files(root) == before


def test_it_stops_at_a_failing_step_with_its_name_and_a_rerun_continues(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    (root / "etc").mkdir()
    (root / "etc/amanat").write_text("a file where the settings folder belongs")
    failed = install(deploy, root)
    assert failed.returncode == 1
    assert "FAILED at step 'folders'" in failed.stderr
    assert "something else may be in its place" in failed.stderr
    assert "[4/" not in failed.stdout  # nothing after the failed step
    assert not (root / "etc/systemd").exists()
    (root / "etc/amanat").unlink()
    again = install(deploy, root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (root / "etc/amanat/amanat.env").exists()


def test_it_stops_when_tor_has_published_no_onion_name(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    failed = install(deploy, root)
    assert failed.returncode == 1
    assert "FAILED at step 'onion'" in failed.stderr
    assert "Tor has not written /var/lib/tor/amanat/hostname" in failed.stderr
    assert not (root / "etc/amanat/amanat.env").exists()


def test_it_asks_for_the_host_name_and_says_what_to_pass_without_a_terminal(tmp_path):
    deploy = deploy_copy(tmp_path)
    done = subprocess.run(
        [str(deploy / "install.sh"), "--root", str(tmp_path / "root"), "--org-name", "NGO"],
        env={"PATH": os.environ["PATH"], "AMANAT_ROOT": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Host name of this server" in done.stderr and "give it as an option" in done.stderr
    assert "FAILED at step 'check'" in done.stderr


def test_it_lists_its_steps_in_a_dry_run_and_writes_nothing(tmp_path):
    deploy = deploy_copy(tmp_path)
    done = subprocess.run(
        [str(deploy / "install.sh"), "--dry-run"], capture_output=True, text=True, check=True
    )
    steps = re.findall(r"^  \d+\. (\w+):", done.stdout, flags=re.M)
    assert steps == [
        "check",
        "packages",
        "folders",
        "onion",
        "secrets",
        "venv",
        "database",
        "redis",
        "django",
        "bootstrap",
        "nginx",
        "tls",
        "services",
    ]
    assert not (tmp_path / "root").exists()


def test_it_runs_no_system_command_in_root_mode_but_prints_each(tmp_path):
    _, _, first = _installed(tmp_path)
    assert "would run: apt-get update" in first.stdout
    assert "would run: certbot certonly --webroot" in first.stdout
    assert (
        "would run as amanat:" in first.stdout and "bootstrap --org-name Our\\ NGO" in first.stdout
    )


def test_it_writes_settings_that_pass_djangos_deployment_check_with_no_warning(tmp_path):
    _, root, _ = _installed(tmp_path)
    env = {"PATH": os.environ["PATH"], **env_file(root)}
    # The one value the check needs from this machine: a database it never connects to.
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path}/db.sqlite3"
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_it_keeps_other_machines_addresses_and_the_settings_an_administrator_added(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    given = {
        "AMANAT_DB_ADDRESS": "10.0.0.2:5432",
        "AMANAT_REDIS_ADDRESS": "10.0.0.2:6379",
        "AMANAT_WEB_BIND": "10.0.0.3:8000",
        "AMANAT_TRUSTED_PROXIES": "10.0.0.1",
    }
    first = install(deploy, root, "--allow-net", "localhost 10.0.0.0/24", env=given)
    assert first.returncode == 0, first.stdout + first.stderr
    values = env_file(root)
    assert values["DATABASE_URL"].endswith("@10.0.0.2:5432/amanat")
    assert values["REDIS_URL"].endswith("@10.0.0.2:6379/0")
    assert values["AMANAT_WEB_BIND"] == "10.0.0.3:8000"
    assert values["AMANAT_TRUSTED_PROXIES"] == "10.0.0.1"
    web = root / "etc/systemd/system/amanat-web.service"
    assert "IPAddressAllow=localhost 10.0.0.0/24\n" in web.read_text()
    site = root / "etc/nginx/sites-enabled/amanat.conf"
    assert "server 10.0.0.3:8000;" in site.read_text()
    # The administrator adds optional settings and a second web node, then runs the
    # installer again with no option: all of it is kept, the secrets too.
    added = {
        "SEALED_STORAGE_URL": "s3://amanat-sealed/main",
        "SEALED_STORAGE_ENDPOINT": "https://s3.example.net",
        "AWS_SECRET_ACCESS_KEY_FILE": "/etc/amanat-keys/s3-secret",
        "DATABASE_REPLICA_URL": "postgres://amanat:pw@10.0.0.4:5432/amanat",
        "CELERY_BROKER_URL": "amqp://amanat:pw@10.0.0.2:5672/amanat",
        "AMANAT_CELERY_QUEUE": "amanat",
    }
    settings = root / "etc/amanat/amanat.env"
    settings.write_text(
        settings.read_text() + "".join(f"{name}={value}\n" for name, value in added.items())
    )
    site.write_text(
        site.read_text().replace(
            "    server 10.0.0.3:8000;\n", "    server 10.0.0.3:8000;\n    server 10.0.0.5:8000;\n"
        )
    )
    before = files(root)
    again = install(deploy, root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Done: nothing changed" in again.stdout, again.stdout
    assert files(root) == before
    assert env_file(root) == {**values, **added}
    assert "IPAddressAllow=localhost 10.0.0.0/24\n" in web.read_text()


def test_it_writes_no_optional_setting_on_one_host(tmp_path):
    _, root, _ = _installed(tmp_path)
    values = env_file(root)
    assert values["AMANAT_WEB_BIND"] == "127.0.0.1:8000"
    assert values["AMANAT_TRUSTED_PROXIES"] == "127.0.0.1,::1"
    for name in ("SEALED_STORAGE_URL", "DATABASE_REPLICA_URL", "CELERY_BROKER_URL"):
        assert name not in values
        assert f"# {name}=" in (root / "etc/amanat/amanat.env").read_text()  # documented
    web = (root / "etc/systemd/system/amanat-web.service").read_text()
    assert "IPAddressAllow=localhost\n" in web


def test_it_sets_up_a_web_node_or_a_worker_with_the_first_machines_settings(tmp_path):
    _, first, _ = _installed(tmp_path)
    settings = (first / "etc/amanat/amanat.env").read_bytes()
    for role, units in (("web", ["amanat-web"]), ("worker", ["amanat-worker", "amanat-beat"])):
        deploy, root = deploy_copy(tmp_path / role), tmp_path / role / "root"
        refused = install(deploy, root, "--role", role)
        assert refused.returncode == 1
        assert "copy /etc/amanat/amanat.env from the first machine" in refused.stderr
        assert "FAILED at step 'secrets'" in refused.stderr
        (root / "etc/amanat/amanat.env").write_bytes(settings)
        (root / "etc/amanat/amanat.env").chmod(0o600)
        given = {"AMANAT_WEB_BIND": "10.0.0.3:8000", "AMANAT_DB_ADDRESS": "10.0.0.2:5432"}
        done = install(deploy, root, "--role", role, "--allow-net", "10.0.0.0/24", env=given)
        assert done.returncode == 0, done.stdout + done.stderr
        values = env_file(root)
        for name in (*SECRETS, "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
            assert values[name] == env_file(first)[name], name  # shared, never made anew
        assert values["DATABASE_URL"].endswith("@10.0.0.2:5432/amanat")
        installed = root / "etc/systemd/system"
        assert sorted(p.stem for p in installed.glob("amanat-*.service")) == sorted(units)
        assert "would run: systemctl enable amanat.target " + " ".join(units) in done.stdout
        # No server of the one-host stack, no migration, no second beat by default.
        for path in ("etc/nginx", "etc/tor", "etc/redis", "etc/postgresql", "etc/amanat/beat-node"):
            assert not (root / path).exists(), (role, path)
        assert "manage.py migrate" not in done.stdout and "bootstrap" not in done.stdout
        assert not (root / "etc/amanat/migrate.env").exists()
        assert ("collectstatic" in done.stdout) == (role == "web")
        (apt,) = [line for line in done.stdout.splitlines() if "apt-get install" in line]
        for server in ("postgresql", "redis-server", "nginx", "tor", "certbot"):
            assert f" {server} " not in f"{apt} ", server
        assert " python3.11 " in apt
        again = install(deploy, root, "--role", role)
        assert "Done: nothing changed" in again.stdout, again.stdout + again.stderr
        unit = (installed / f"{units[0]}.service").read_text()
        assert "IPAddressAllow=10.0.0.0/24\n" in unit  # --allow-net kept
    beat = install(deploy, root, "--role", "worker", "--beat")
    assert (root / "etc/amanat/beat-node").exists(), beat.stdout + beat.stderr


def test_it_restarts_the_services_when_only_a_rendered_file_changed(tmp_path):
    deploy, root, _ = _installed(tmp_path)
    unit = root / "etc/systemd/system/amanat-worker.service"
    unit.write_text(unit.read_text().replace("NoNewPrivileges=yes", "NoNewPrivileges=no"))
    again = install(deploy, root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "wrote /etc/systemd/system/amanat-worker.service" in again.stdout
    assert "Done: 1 file(s) or folder(s) changed." in again.stdout
    assert "would run: systemctl restart amanat.target" in again.stdout


def test_it_keeps_the_size_given_for_nginx_body_memory_and_refuses_a_bad_one(tmp_path):
    deploy, root = deploy_copy(tmp_path), tmp_path / "root"
    fake_tor(root)
    mount = root / "etc/systemd/system/run-amanatedge.mount"
    done = install(deploy, root, env={"AMANAT_EDGE_MEMORY": "2G"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Options=size=2G,mode=0755,nosuid,nodev,noexec" in mount.read_text()
    again = install(deploy, root)  # not given again: kept
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Options=size=2G," in mount.read_text()
    # A size the administrator moved within the line is still found.
    mount.write_text(mount.read_text().replace("size=2G,mode=0755", "mode=0755,size=3G"))
    assert install(deploy, root).returncode == 0
    assert "Options=size=3G,mode=0755," in mount.read_text()
    done = install(deploy, root, env={"AMANAT_EDGE_MEMORY": "30%"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Options=size=30%%,mode=0755," in mount.read_text()
    assert install(deploy, root).returncode == 0
    assert "Options=size=30%%,mode=0755," in mount.read_text()  # kept, escaped once
    before = mount.read_text()
    for bad in ("2G\nExecStartPre=/bin/sh", "2G,exec", "0%", "60%", "1K", "32M", "lots"):
        refused = install(deploy, root, env={"AMANAT_EDGE_MEMORY": bad})
        assert refused.returncode != 0
        assert "AMANAT_EDGE_MEMORY is 5% to 50% of the memory" in refused.stderr
        assert mount.read_text() == before
