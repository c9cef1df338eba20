"""Settings fail closed. Each case loads the settings in a fresh interpreter, as a
server process would, with a controlled environment."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

from config.settings import BASE_DIR

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 60,
    "DATABASE_URL": "postgres://amanat@127.0.0.1:5432/amanat",
    "ALLOWED_HOSTS": "amanat.example.org",
    "RECEIPT_PEPPER": "p" * 40,
    "RATELIMIT_SECRET": "r" * 40,
    "OTP_WEBAUTHN_RP_ID": "amanat.example.org",
}


def load_settings(env: dict[str, str], expr: str) -> subprocess.CompletedProcess:
    ours = {"AMANAT_ENV", "SECRET_KEY", "DEBUG", "RECEIPT_PEPPER", "DATABASE_URL", "ALLOWED_HOSTS"}
    ours.add("RATELIMIT_SECRET")
    clean = {
        k: v for k, v in os.environ.items() if k not in ours and not k.startswith("OTP_WEBAUTHN_")
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = f"import django; django.setup(); from django.conf import settings; print({expr})"
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=BASE_DIR, capture_output=True, text=True
    )


class SettingsTestCase(SimpleTestCase):
    def test_it_refuses_to_start_in_production_without_secret_key(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
        result = load_settings(env, "settings.DEBUG")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is not set", result.stderr)

    def test_it_refuses_a_short_secret_key_in_production(self):
        result = load_settings({**PRODUCTION_ENV, "SECRET_KEY": "changeme"}, "settings.DEBUG")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("at least 50", result.stderr)

    def test_it_is_production_when_nothing_is_chosen(self):
        result = load_settings(PRODUCTION_ENV, "settings.MODE, settings.DEBUG")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "production False")

    def test_debug_is_off_in_production_even_if_asked(self):
        result = load_settings({**PRODUCTION_ENV, "DEBUG": "1"}, "settings.DEBUG")
        self.assertEqual(result.stdout.strip(), "False")

    def test_it_makes_cookies_secure_and_httponly_in_production(self):
        expr = (
            "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
            "settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_HSTS_SECONDS > 0"
        )
        result = load_settings(PRODUCTION_ENV, expr)
        self.assertEqual(result.stdout.strip(), "True True True True")

    def test_it_needs_a_database_url_in_production(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
        env["DATABASE_URL"] = ""
        result = load_settings(env, "settings.DATABASES")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DATABASE_URL is not set", result.stderr)

    def test_it_needs_a_receipt_pepper_in_production(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "RECEIPT_PEPPER"}
        result = load_settings(env, "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("RECEIPT_PEPPER is not set", result.stderr)

    def test_it_needs_allowed_hosts_in_production(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
        result = load_settings(env, "settings.ALLOWED_HOSTS")
        self.assertIn("ALLOWED_HOSTS is not set", result.stderr)

    def test_it_needs_a_passkey_host_name_in_production(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "OTP_WEBAUTHN_RP_ID"}
        result = load_settings(env, "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("OTP_WEBAUTHN_RP_ID is not set", result.stderr)

    def test_passkeys_are_https_on_that_host_in_production(self):
        expr = (
            "settings.OTP_WEBAUTHN_ALLOWED_ORIGINS, settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN"
        )
        result = load_settings(PRODUCTION_ENV, expr)
        self.assertEqual(result.stdout.strip(), "['https://amanat.example.org'] False")
        for origin in ("http://amanat.example.org", "https://amanat.example.org.evil.net"):
            env = {**PRODUCTION_ENV, "OTP_WEBAUTHN_ALLOWED_ORIGINS": origin}
            result = load_settings(env, "1")
            self.assertNotEqual(result.returncode, 0, origin)
            self.assertIn("OTP_WEBAUTHN_ALLOWED_ORIGINS", result.stderr)
        env = {**PRODUCTION_ENV, "OTP_WEBAUTHN_ALLOWED_ORIGINS": "https://staff.amanat.example.org"}
        self.assertEqual(load_settings(env, "1").returncode, 0)

    def test_it_refuses_an_unknown_mode(self):
        result = load_settings({**PRODUCTION_ENV, "AMANAT_ENV": "staging"}, "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AMANAT_ENV", result.stderr)

    def test_it_refuses_object_storage_settings_it_cannot_use(self):
        for name, value in (
            ("SEALED_STORAGE_URL", "https://amanat-sealed.s3.example.net/x"),
            ("SEALED_STORAGE_URL", "s3://"),
            ("SEALED_STORAGE_ENDPOINT", "s3.example.net"),
            ("SEALED_STORAGE_ADDRESSING", "host"),
        ):
            result = load_settings({**PRODUCTION_ENV, name: value}, "1")
            self.assertNotEqual(result.returncode, 0, value)
            self.assertIn(name, result.stderr)

    def test_it_reads_the_bucket_and_keeps_the_local_folder_by_default(self):
        expr = "repr(settings.SEALED_STORAGE_URL), settings.SEALED_STORAGE_ADDRESSING"
        result = load_settings({**PRODUCTION_ENV, "SEALED_STORAGE_URL": ""}, expr)
        self.assertEqual(result.stdout.strip(), "'' virtual")
        env = {
            **PRODUCTION_ENV,
            "SEALED_STORAGE_URL": "s3://amanat-sealed/attachments",
            "SEALED_STORAGE_ENDPOINT": "https://s3.example.net",
        }
        result = load_settings(env, expr)
        self.assertEqual(result.stdout.strip(), "'s3://amanat-sealed/attachments' path")

    def test_debug_is_on_only_in_development(self):
        result = load_settings(
            {"AMANAT_ENV": "development"}, "settings.DEBUG, settings.AMANAT_DEMO"
        )
        self.assertEqual(result.stdout.strip(), "True True")

    def test_tests_run_without_debug(self):
        self.assertFalse(settings.DEBUG)
        self.assertFalse(settings.AMANAT_DEMO)
