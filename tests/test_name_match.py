"""`manage.py name_match FILE`: each name's ten most alike other names, best first, as
triage ranks them; bad input is a clear message naming the line, a non-zero exit and no
traceback. Run as a user would: a subprocess in development mode, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

ROWS: list[dict[str, Any]] = [
    {"id": "a1", "name": "Memet Tursun", "script": "latin"},
    {"id": "a2", "name": "مەمەت تۇرسۇن", "script": ""},
    {"id": "a3", "name": "Мамат Турсунов", "script": "Cyrl"},
    {"id": "a4", "name": "买买提·吐尔逊", "script": "hani"},
    {"id": "b1", "name": "Gülnar Abdukérim", "script": "latin"},
    {"id": "b2", "name": "Гульнара Абдукеримова", "script": "cyrillic"},
    {"id": "c1", "name": "Nurlan Serikuly", "script": ""},
    {"id": 7, "name": "Ehmet Qurban", "script": "other"},
]


class NameMatchTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.folder = Path(self.tmp.name)

    def run_command(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "AMANAT_ENV": "development",
            "AMANAT_DATA_DIR": str(self.folder / "data"),
        }
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        return subprocess.run(
            [sys.executable, "manage.py", "name_match", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def write(self, lines: list[str]) -> str:
        path = self.folder / "names.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    def match(self, rows: list[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
        result = self.run_command(self.write([json.dumps(r, ensure_ascii=False) for r in rows]))
        self.assertEqual(result.returncode, 0, result.stderr)
        out = [json.loads(line) for line in result.stdout.splitlines()]
        return {line["id"]: line["candidates"] for line in out}

    def test_it_writes_one_line_per_name_with_other_names_best_first(self) -> None:
        found = self.match(ROWS)
        self.assertEqual(list(found), [row["id"] for row in ROWS])
        ids = {row["id"] for row in ROWS}
        for row_id, candidates in found.items():
            with self.subTest(row=row_id):
                self.assertLessEqual(len(candidates), 10)
                cand_ids = [c["id"] for c in candidates]
                self.assertNotIn(row_id, cand_ids)
                self.assertTrue(set(cand_ids) <= ids)
                self.assertEqual(len(cand_ids), len(set(cand_ids)))
                scores = [c["score"] for c in candidates]
                self.assertEqual(scores, sorted(scores, reverse=True))
                self.assertTrue(all(0 <= s <= 100 for s in scores))

    def test_it_keeps_numeric_ids_as_numbers(self) -> None:
        found = self.match(ROWS)
        self.assertIn(7, found)
        self.assertNotIn("7", found)

    def test_it_ranks_the_same_person_in_another_script_first(self) -> None:
        found = self.match(ROWS)
        self.assertIn(found["a1"][0]["id"], {"a2", "a3", "a4"})
        self.assertEqual(found["b2"][0]["id"], "b1")

    def test_it_gives_at_most_ten_candidates(self) -> None:
        rows = [{"id": f"m{n}", "name": "Memet Tursun", "script": ""} for n in range(14)]
        found = self.match(rows)
        self.assertEqual({len(c) for c in found.values()}, {10})

    def test_it_accepts_a_missing_script_and_blank_lines(self) -> None:
        path = self.write(
            ['{"id": "x", "name": "Memet Tursun"}', "", '{"id": "y", "name": "Mehmet Tursun"}']
        )
        result = self.run_command(path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(result.stdout.splitlines()), 2)

    def assert_refused(self, result: subprocess.CompletedProcess[str], *words: str) -> None:
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(result.stdout, "")
        for word in words:
            self.assertIn(word, result.stderr)

    def test_it_names_the_line_that_is_not_json(self) -> None:
        path = self.write(['{"id": "x", "name": "Memet Tursun"}', "Memet Tursun, latin"])
        self.assert_refused(self.run_command(path), "line 2", "not JSON")

    def test_it_names_the_missing_field_and_not_the_name(self) -> None:
        path = self.write(['{"id": "x", "name": "Memet"}', '{"name": "Gülnar Abdukérim"}'])
        result = self.run_command(path)
        self.assert_refused(result, "line 2", '"id" is missing')
        self.assertNotIn("Gülnar", result.stderr)
        path = self.write(['{"id": "x", "script": "latin"}'])
        self.assert_refused(self.run_command(path), "line 1", '"name" is missing')

    def test_it_refuses_empty_names_bad_types_and_repeated_ids(self) -> None:
        cases = {
            '{"id": "x", "name": ""}': '"name" must be a non-empty string',
            '{"id": "x", "name": 5}': '"name" must be a non-empty string',
            '{"id": null, "name": "Memet"}': '"id" must be',
            '{"id": "x", "name": "Memet", "script": 3}': '"script" must be a string',
            '["x", "Memet"]': "must be a JSON object",
        }
        for line, message in cases.items():
            with self.subTest(line=line):
                self.assert_refused(self.run_command(self.write([line])), "line 1", message)
        path = self.write(['{"id": "x", "name": "Memet"}', '{"id": "x", "name": "Ehmet"}'])
        self.assert_refused(self.run_command(path), "line 2", "ids must be unique")

    def test_it_refuses_a_missing_or_empty_file(self) -> None:
        missing = str(self.folder / "nowhere.jsonl")
        self.assert_refused(self.run_command(missing), "nowhere.jsonl", "no such file")
        self.assert_refused(self.run_command(self.write([""])), "has no lines")
