"""Secrets may come from files (systemd credentials: VAR_FILE=%d/var), never from both
a variable and a file, and a file that cannot be read stops the start."""

import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from config.tests.test_settings import PRODUCTION_ENV, load_settings

SECRET_KEY = "s" * 55 + "FILE"
PEPPER = "p" * 36 + "FILE"


class SecretFilesTestCase(SimpleTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory(prefix="amanat-credentials-")
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def credential(self, name: str, value: str) -> str:
        path = self.folder / name
        path.write_text(value + "\n")  # as `systemd-creds` and editors leave it
        return str(path)

    def production_env_from_files(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in PRODUCTION_ENV.items()
            if k not in {"SECRET_KEY", "RECEIPT_PEPPER", "DATABASE_URL"}
        }
        env["SECRET_KEY_FILE"] = self.credential("secret_key", SECRET_KEY)
        env["RECEIPT_PEPPER_FILE"] = self.credential("receipt_pepper", PEPPER)
        env["DATABASE_URL_FILE"] = self.credential(
            "database_url", "postgres://amanat:pw@127.0.0.1:5432/from_file"
        )
        env["REDIS_URL_FILE"] = self.credential("redis_url", "redis://:pw@127.0.0.1:6379/2")
        env["REDIS_URL"] = env["CELERY_BROKER_URL"] = ""  # whatever this test run uses
        return env

    def test_it_reads_each_secret_from_its_file_in_production(self):
        expr = (
            f"settings.SECRET_KEY == {SECRET_KEY!r}, "
            f"settings.RECEIPT_PEPPER == {PEPPER!r}.encode(), "
            "settings.DATABASES['default']['NAME'], settings.CELERY_BROKER_URL"
        )
        result = load_settings(self.production_env_from_files(), expr)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "True True from_file redis://:pw@127.0.0.1:6379/2")

    def test_it_refuses_a_secret_set_both_ways(self):
        env = {**self.production_env_from_files(), "SECRET_KEY": "k" * 60}
        result = load_settings(env, "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Both SECRET_KEY and SECRET_KEY_FILE are set", result.stderr)
        self.assertNotIn("k" * 60, result.stderr)
        self.assertNotIn(SECRET_KEY, result.stderr)

    def test_it_refuses_a_missing_or_empty_file_without_quoting_a_secret(self):
        for path in (str(self.folder / "absent"), self.credential("empty", "")):
            env = {**self.production_env_from_files(), "RECEIPT_PEPPER_FILE": path}
            result = load_settings(env, "1")
            self.assertNotEqual(result.returncode, 0, path)
            self.assertIn(f"RECEIPT_PEPPER_FILE: {path}", result.stderr)
            self.assertNotIn(SECRET_KEY, result.stderr)

    def test_it_still_refuses_to_start_when_neither_is_set(self):
        env = self.production_env_from_files()
        del env["DATABASE_URL_FILE"]
        result = load_settings(env, "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DATABASE_URL is not set", result.stderr)

    def test_it_reads_the_object_storage_credentials_from_their_files(self):
        env = {
            **self.production_env_from_files(),
            "SEALED_STORAGE_URL": "s3://amanat-sealed/attachments",
            "AWS_ACCESS_KEY_ID_FILE": self.credential("s3_key_id", "KEYIDFROMFILE"),
            "AWS_SECRET_ACCESS_KEY_FILE": self.credential("s3_secret", "secret-from-file"),
        }
        expr = "settings.SEALED_STORAGE_ACCESS_KEY_ID, settings.SEALED_STORAGE_SECRET_ACCESS_KEY"
        result = load_settings(env, expr)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "KEYIDFROMFILE secret-from-file")
