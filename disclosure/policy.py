"""What a case knows that must not leave, and what each identity level lets through.

From the reports' contents: every name with its role (the missing person, relatives,
the reporter, witnesses), the contacts, ID numbers and the village, as redaction
entities. Then, for each proposal of redaction.propose, at an export's identity level:
- forbidden: it can never stay in clear (the reporter below REPORTER_NAMED, a witness,
  anyone at ANONYMOUS, any contact but the named reporter's); the leak check blocks it;
- kept: it stays in clear unless the caseworker redacts it (the missing person's name and
  ID number when the level names them: what the WGEID needs);
- otherwise redacted unless the caseworker keeps it (a relative's name, a place, a
  number the patterns found), which the reviewer then sees in the list of kept items.
Pure Python: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import consent
from .redaction import LABELS, Entities, Span

MISSING, RELATIVE, REPORTER, WITNESS, PERSON = (
    "missing",
    "relative",
    "reporter",
    "witness",
    "person",
)

# A witnesses field is free text ("my neighbour Abdukerim, his wife"): its pieces of a
# name's size are taken as names; longer pieces are left to the redaction's patterns.
_PIECES = re.compile("[\n,;\u060c\u061b\u3001\uff0c\uff1b]+")  # also Arabic and CJK commas
_NAME_WORDS = 5


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _section(content: object, key: str) -> dict[str, object]:
    part = content.get(key) if isinstance(content, dict) else None
    return part if isinstance(part, dict) else {}


def _pieces(text: str) -> list[str]:
    return [p.strip() for p in _PIECES.split(text) if 0 < len(p.strip().split()) <= _NAME_WORDS]


def entities(contents: Iterable[dict[str, object]]) -> Entities:
    """Everything the reports say that identifies someone, with the names' roles."""
    names: list[tuple[str, str]] = []
    contacts: list[str] = []
    ids: list[str] = []
    places: list[str] = []
    for content in contents:
        missing = _section(content, "missing")
        gone = _section(content, "disappearance")
        reporter = _section(content, "reporter")
        listed = missing.get("names")
        for entry in listed if isinstance(listed, list) else []:
            if isinstance(entry, dict) and _text(entry.get("name")):
                names.append((_text(entry.get("name")), MISSING))
        for key in ("father_name", "mother_name"):
            if _text(missing.get(key)):
                names.append((_text(missing.get(key)), RELATIVE))
        if _text(reporter.get("reporter_name")):
            names.append((_text(reporter.get("reporter_name")), REPORTER))
        names += [(piece, WITNESS) for piece in _pieces(_text(gone.get("witnesses")))]
        if _text(reporter.get("contact")):
            contacts.append(_text(reporter.get("contact")))
            contacts += [p for p in _PIECES.split(_text(reporter.get("contact"))) if p.strip()]
        if _text(missing.get("id_number")):
            ids.append(_text(missing.get("id_number")))
        if _text(missing.get("home_village")):
            places.append(_text(missing.get("home_village")))
    unique = list(dict.fromkeys(names))
    return Entities(
        names=tuple(unique),
        contacts=tuple(dict.fromkeys(c.strip() for c in contacts)),
        id_numbers=tuple(dict.fromkeys(ids)),
        places=tuple(dict.fromkeys(places)),
    )


# Kinds that reach a person: only the reporter's own, and only when the reporter is named.
CONTACT_KINDS = frozenset({"contact", "phone", "email", "handle"})
_ROLE_OF_LABEL = {LABELS[role]: role for role in (MISSING, RELATIVE, REPORTER, WITNESS)}


def role_of(span: Span) -> str:
    """The role a name proposal was made for (redaction labels names by role)."""
    return _ROLE_OF_LABEL.get(span.label, PERSON)


def forbidden(span: Span, level: str) -> bool:
    """Whether the proposal may never stay in clear at this identity level."""
    if level == consent.ANONYMOUS and span.kind in ("name", "id_number"):
        return True
    if span.kind == "name":
        role = role_of(span)
        return role == WITNESS or (role == REPORTER and level != consent.REPORTER_NAMED)
    if span.kind in CONTACT_KINDS:
        return level != consent.REPORTER_NAMED
    return False


def kept_by_default(span: Span, level: str) -> bool:
    """Whether the proposal stays in clear unless the caseworker redacts it: the missing
    person's name where the level names them (the WGEID's first minimum element)."""
    return level != consent.ANONYMOUS and span.kind == "name" and role_of(span) == MISSING
