"""`python manage.py propose_redactions FILE`: the redaction proposals for one text.

FILE (or "-" for standard input) is one JSON object:

    {"entities": {"names": [...], "contacts": [...], "id_numbers": [...], "places": [...]},
     "text": "..."}

Every entities field is optional (a list of strings); a names entry is a string or an
object {"name": "...", "role": "..."} with role one of missing, relative, reporter,
witness, person. Prints {"spans": [{"start": ..., "end": ..., "kind": ..., "label": ...}]},
offsets being Python string indices into text (Unicode code points), sorted and merged.

It calls exactly the `disclosure.redaction.propose` the staff page calls; nothing is
stored and no database is needed. Error messages name the field and the fix, never the
content (which holds names).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosure.redaction import ROLES, Entities, propose

# More than this is not one document's text: refused before it is read as JSON.
MAX_INPUT = 5_000_000
LIST_FIELDS = ("names", "contacts", "id_numbers", "places")
SHAPE = (
    '{"entities": {"names": [...], "contacts": [...], "id_numbers": [...], '
    '"places": [...]}, "text": "..."}'
)


def read_input(source: str) -> str:
    """The raw input of FILE or "-"; a CommandError says what is wrong with it."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT + 1)
        else:
            with Path(source).open("rb") as handle:
                raw = handle.read(MAX_INPUT + 1)
    except FileNotFoundError:
        raise CommandError(f"{source}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{source} is a folder; give a JSON file or - for stdin.") from None
    except OSError as error:
        raise CommandError(f"{source} cannot be read ({error.strerror}).") from None
    if len(raw) > MAX_INPUT:
        raise CommandError(f"the input is over {MAX_INPUT:,} bytes; give one document's text.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError("the input is not UTF-8 text; save it as UTF-8.") from None


def _strings(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CommandError(f'"entities.{field}" must be a list of strings, e.g. ["..."].')
    return tuple(value)


def _names(value: Any) -> tuple[str | tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CommandError('"entities.names" must be a list of strings or objects.')
    out: list[str | tuple[str, str]] = []
    for number, entry in enumerate(value, start=1):
        where = f'"entities.names" entry {number}'
        if isinstance(entry, str):
            out.append(entry)
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise CommandError(
                f'{where} must be a string or an object {{"name": "...", "role": "..."}}.'
            )
        role = entry.get("role", "person")
        if role not in ROLES:
            raise CommandError(f'{where}: "role" must be one of {", ".join(ROLES)}.')
        out.append((entry["name"], role))
    return tuple(out)


def parse_request(raw: str) -> tuple[str, Entities]:
    """The text and entities of the input; a CommandError names the bad field."""
    try:
        data = json.loads(raw)
    except RecursionError:
        raise CommandError(f"the input is nested too deeply; give {SHAPE}.") from None
    except ValueError:
        raise CommandError(f"the input is not JSON; give {SHAPE}.") from None
    if not isinstance(data, dict):
        raise CommandError(f"the input must be a JSON object {SHAPE}.")
    if "text" not in data:
        raise CommandError(f'the field "text" is missing; give {SHAPE}.')
    text = data["text"]
    if not isinstance(text, str):
        raise CommandError('"text" must be a string (the document\'s text).')
    entities = data.get("entities")
    entities = {} if entities is None else entities
    if not isinstance(entities, dict):
        raise CommandError(
            '"entities" must be an object with the lists names, contacts, id_numbers, places.'
        )
    unknown = sorted(set(entities) - set(LIST_FIELDS))
    if unknown:
        raise CommandError(
            f'"entities" has the unknown field "{unknown[0]}"; use {", ".join(LIST_FIELDS)}.'
        )
    return text, Entities(
        names=_names(entities.get("names")),
        contacts=_strings(entities.get("contacts"), "contacts"),
        id_numbers=_strings(entities.get("id_numbers"), "id_numbers"),
        places=_strings(entities.get("places"), "places"),
    )


class Command(BaseCommand):
    help = (
        "Print the redaction proposals for a text as JSON (no database needed). FILE, or - "
        'for stdin, holds {"entities": {"names": [...], "contacts": [...], "id_numbers": '
        '[...], "places": [...]}, "text": "..."}; each names entry is a string or '
        '{"name": "...", "role": "missing|relative|reporter|witness|person"}. Output: '
        '{"spans": [{"start", "end", "kind", "label"}]}, offsets in characters of text.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='a JSON file, or "-" to read standard input')

    def handle(self, *args: Any, **options: Any) -> None:
        text, entities = parse_request(read_input(options["file"]))
        spans = propose(text, entities)
        out = {
            "spans": [
                {"start": s.start, "end": s.end, "kind": s.kind, "label": s.label} for s in spans
            ]
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False))
