"""`python manage.py name_match FILE`: the ten most alike other names for each name in FILE.

FILE is JSON Lines, one name a line: {"id": ..., "name": "...", "script": "..."} (script
may be empty or absent: a form code such as "ug-arab" or "pinyin", or an ISO 15924 code).
Writes JSON Lines {"id": ..., "candidates": [{"id": ..., "score": ...}, ...]}, best first.

The names go through exactly what triage uses (`names.matching.identity`, the buckets
and ranking of `names.search`), in memory under a throwaway index key: nothing is
stored, no database is needed. For checking the matcher on a list of spellings
(docs/DUPLICATES.md); error messages name the line, never its content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from names import matching, search

CANDIDATES = 10


class Row:
    """One input line: the caller's id, and the name as a comparable identity."""

    def __init__(self, row_id: str | int, identity: matching.Identity) -> None:
        self.id = row_id
        self.identity = identity


def read_rows(path: Path) -> list[Row]:
    """Parse FILE; a CommandError names the first bad line and what to fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder; give a JSON Lines file.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as error:
        raise CommandError(f"{path} cannot be read ({error.strerror}).") from None
    rows: list[Row] = []
    seen: set[str | int] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            raise CommandError(
                f'{where}: not JSON; each line must be {{"id": ..., "name": ..., "script": ...}}.'
            ) from None
        rows.append(_row(data, where, seen))
    if not rows:
        raise CommandError(f"{path} has no lines; give one JSON object per name.")
    return rows


def _row(data: Any, where: str, seen: set[str | int]) -> Row:
    if not isinstance(data, dict):
        raise CommandError(f'{where}: a line must be a JSON object {{"id": ..., "name": ...}}.')
    for field in ("id", "name"):
        if field not in data:
            raise CommandError(f'{where}: the field "{field}" is missing.')
    row_id = data["id"]
    if isinstance(row_id, bool) or not isinstance(row_id, str | int) or row_id == "":
        raise CommandError(f'{where}: "id" must be a non-empty string or a number.')
    if row_id in seen:
        raise CommandError(f"{where}: the id is used by an earlier line; ids must be unique.")
    seen.add(row_id)
    name = data["name"]
    if not isinstance(name, str) or not name.strip():
        raise CommandError(f'{where}: "name" must be a non-empty string.')
    script = data.get("script") or ""
    if not isinstance(script, str):
        raise CommandError(
            f'{where}: "script" must be a string (a form code such as "latin", an ISO '
            'code such as "Arab", or empty).'
        )
    return Row(row_id, matching.identity(names=[(name, script)]))


def match(rows: list[Row]) -> Iterator[str]:
    """Index every row, then yield each row's best other rows as a JSON line."""
    index = search.MemoryIndex(os.urandom(32))
    for row in rows:
        index.add(row.id, row.identity)
    for row in rows:
        found = index.candidates(row.identity, limit=CANDIDATES + 1)
        others = [(cid, score) for cid, score in found if cid != row.id][:CANDIDATES]
        line = {
            "id": row.id,
            "candidates": [{"id": cid, "score": round(score, 2)} for cid, score in others],
        }
        yield json.dumps(line, ensure_ascii=False)


class Command(BaseCommand):
    help = (
        "For each name in a JSON Lines file, print the ten most alike other names in it, "
        "as triage ranks them (in memory, nothing stored)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='JSON Lines: {"id": ..., "name": ..., "script": ...}')

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_rows(Path(options["file"]))
        for line in match(rows):
            self.stdout.write(line)
