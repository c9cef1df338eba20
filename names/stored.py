"""A parsed Identity as plain JSON data, and back.

Parsing is the costly step of a comparison (a one-piece name is tried against the whole
name table in every cut). A person's identity is parsed once, when it is indexed, and
kept in this form inside the person's sealed identity, so that a triage proposal
compares up to a hundred candidates without parsing any of them again. The caller
stores `VERSION` beside it: a form made by another normalisation is parsed afresh.

    dump(identity) -> dict (lists, strings, numbers: json.dumps takes it)
    load(dump(identity)) == identity
"""

from __future__ import annotations

from typing import Any

from .core import Name, Part
from .matching import Identity


def _part(part: Part) -> list[Any]:
    return [
        part.written,
        part.folded,
        sorted(part.keys),
        list(part.readings),
        part.uly,
        part.surname,
    ]


def _name(name: Name | None) -> list[Any] | None:
    if name is None:
        return None
    return [name.written, name.script, [_part(p) for p in name.parts]]


def dump(identity: Identity) -> dict[str, Any]:
    return {
        "names": [_name(n) for n in identity.names],
        "father": _name(identity.father),
        "birth_year": identity.birth_year,
        "county": _name(identity.county),
    }


def _load_part(row: list[Any]) -> Part:
    written, folded, keys, readings, uly, surname = row
    return Part(
        str(written), str(folded), frozenset(keys), tuple(readings), str(uly), bool(surname)
    )


def _load_name(row: list[Any] | None) -> Name | None:
    if row is None:
        return None
    written, script, parts = row
    return Name(str(written), str(script), tuple(_load_part(p) for p in parts))


def load(data: dict[str, Any]) -> Identity:
    """The Identity `dump` was given. Raises ValueError on data of another shape."""
    try:
        names = tuple(_load_name(row) for row in data["names"])
        year = data["birth_year"]
        return Identity(
            tuple(n for n in names if n is not None),
            _load_name(data["father"]),
            int(year) if year is not None else None,
            _load_name(data["county"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("not a stored identity") from exc
