"""`make run PORT=8001`: the port reaches runserver (read from `make -n`, which prints
the commands without running them); 8000 by default; anything but a number refused."""

from __future__ import annotations

import shutil
import subprocess
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@unittest.skipUnless(shutil.which("make"), "make is not installed")
class MakeRunPortTest(unittest.TestCase):
    def runserver_line(self, *args: str) -> str:
        result = make("-n", "run", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [line for line in result.stdout.splitlines() if "runserver" in line]
        self.assertEqual(len(lines), 1, result.stdout)
        return lines[0]

    def test_it_runs_on_the_port_given(self) -> None:
        self.assertTrue(self.runserver_line("PORT=8001").endswith("runserver 127.0.0.1:8001"))

    def test_it_runs_on_8000_by_default(self) -> None:
        self.assertTrue(self.runserver_line().endswith("runserver 127.0.0.1:8000"))

    def test_it_refuses_a_port_that_is_not_a_number(self) -> None:
        for port in ("abc", "80 01", "", "8001; rm -rf data", "1'; echo x; '"):
            with self.subTest(port=port):
                result = make("-n", "run", f"PORT={port}")
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("PORT must be a number", result.stderr)
                self.assertNotIn("runserver", result.stdout)

    def test_it_says_so_in_the_readme(self) -> None:
        self.assertIn("make run PORT=8001", (ROOT / "README.md").read_text())
