"""The data folder, the SQLite database, development secrets and sealed blobs are
their owner's only: folders 0700, files 0600."""

import os
import stat
import tempfile
import uuid
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from config.tests.test_settings import load_settings
from intake import storage


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class PrivateFilesTestCase(SimpleTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory(prefix="amanat-private-")
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def test_it_creates_the_data_folder_and_sqlite_database_for_their_owner_only(self):
        data = self.folder / "data"
        env = {"AMANAT_ENV": "development", "AMANAT_DATA_DIR": str(data), "REDIS_URL": ""}
        expr = "__import__('django.db').db.connection.ensure_connection()"
        result = load_settings(env, expr)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(mode(data), 0o700)
        created = sorted(p.name for p in data.iterdir())
        self.assertIn("amanat.sqlite3", created)
        for name in created:
            self.assertEqual(mode(data / name), 0o600, name)

    def test_it_tightens_a_data_folder_an_older_version_left_open(self):
        data = self.folder / "data"
        data.mkdir(mode=0o755)
        data.chmod(0o755)
        result = load_settings({"AMANAT_ENV": "development", "AMANAT_DATA_DIR": str(data)}, "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(mode(data), 0o700)

    def test_it_writes_sealed_blobs_for_their_owner_only(self):
        sealed = self.folder / "sealed"
        with override_settings(SEALED_STORAGE_DIR=str(sealed)):
            blob = uuid.uuid4()
            storage.write(blob, [b"ciphertext"])
            path = storage.path_for(blob)
        self.assertEqual(mode(sealed), 0o700)
        self.assertEqual(mode(path.parent), 0o700)
        self.assertEqual(mode(path), 0o600)

    def test_it_tightens_a_sealed_folder_an_older_version_left_open(self):
        sealed = self.folder / "sealed"
        (sealed / "attachments").mkdir(parents=True)
        for folder in (sealed, sealed / "attachments"):
            folder.chmod(0o755)
        with override_settings(SEALED_STORAGE_DIR=str(sealed)):
            storage.write(uuid.uuid4(), [b"ciphertext"])
        self.assertEqual((mode(sealed), mode(sealed / "attachments")), (0o700, 0o700))
