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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from . import consent
from .facts import WITHHELD
from .redaction import LABELS, Entities, Proposer, Span

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
    """The role a name proposal was labelled with (redaction labels names by role)."""
    return _ROLE_OF_LABEL.get(span.label, PERSON)


@dataclass(frozen=True)
class Judgement:
    forbidden: bool  # may never stay in clear at this level
    kept: bool  # stays in clear unless the caseworker redacts it


def _named(entities: Entities) -> list[tuple[str, str]]:
    return [(n, PERSON) if isinstance(n, str) else (n[0], n[1]) for n in entities.names]


class Case:
    """One case's entities with their proposers, made once for a request: the draft's
    fields and a rendered file's pages are many texts against the same names."""

    def __init__(self, entities: Entities) -> None:
        self.entities = entities
        self.propose = Proposer(entities)
        named = _named(entities)
        self._by_role = {
            role: Proposer(Entities(names=tuple((n, r) for n, r in named if r == role)))
            for role in dict.fromkeys(r for _n, r in named)
        }

    def __repr__(self) -> str:
        return f"Case({self.entities!r})"

    def covered(self, words: str, role: str) -> set[int]:
        """The positions of `words` that the names of one role alone find."""
        proposer = self._by_role.get(role)
        if proposer is None:
            return set()
        return {i for s in proposer(words) if s.kind == "name" for i in range(s.start, s.end)}


def judge(span: Span, words: str, level: str, case: Case) -> Judgement:
    """What the level does with one proposal (`words` is its text).

    A name proposal is judged by which roles' names find which of its letters, not by
    its label alone: in Uyghur families the father's given name is the children's
    surname, so the missing person's "Tursun" is also the father's and a sister's. The
    missing person's name stays in clear (where the level names them) only when their
    names alone find every letter of it; it is forbidden when a forbidden role's names
    (a witness, the reporter below REPORTER_NAMED) find a letter the missing person's
    do not ("Memet Tursun" stays; "Gulnar Tursun", the reporter, never does)."""
    if span.kind != "name":
        banned = (level == consent.ANONYMOUS and span.kind == "id_number") or (
            span.kind in CONTACT_KINDS and level != consent.REPORTER_NAMED
        )
        return Judgement(banned, False)
    if level == consent.ANONYMOUS:
        return Judgement(True, False)
    letters = {i for i, ch in enumerate(words) if ch.isalnum()}
    missing = case.covered(words, MISSING)
    banned_roles = [WITNESS] + ([REPORTER] if level != consent.REPORTER_NAMED else [])
    banned_letters: set[int] = set()
    for role in banned_roles:
        banned_letters |= case.covered(words, role)
    if role_of(span) in banned_roles and not missing:
        banned_letters |= letters  # found by its label's role only through the whole text
    forbidden = bool((banned_letters - missing) & letters)
    kept = not forbidden and bool(letters) and letters <= missing
    return Judgement(forbidden, kept)


# What a marked word or phrase becomes; with redaction's and the drafts' labels, what a
# rendered file may carry in brackets (the leak check does not count them as leaks).
MARKED = "[redacted]"
FIXED_LABELS = (*LABELS.values(), MARKED, WITHHELD)

# What the leak check looks for in the rendered files: everything the case knows (names in
# every script, contacts, ID numbers, its places) and the patterns that single a person
# out. Not the guesses at addresses ("... county"), which the caseworker judged in the
# draft and which the files' fixed headings would set off.
LEAK_KINDS = frozenset({"name", "contact", "id_number", "phone", "email", "handle", "gps", "place"})


@dataclass(frozen=True)
class Proposal:
    """One proposal over a text, with what will happen to it."""

    span: Span
    text: str = field(repr=False)
    redacted: bool
    forbidden: bool
    key: str = field(repr=False)  # the choice's key: kind, label and the words


def choice_key(span: Span, words: str) -> str:
    return f"{span.kind}|{span.label}|{words}"


def proposals(text: str, case: Case, level: str, choices: Mapping[str, str]) -> list[Proposal]:
    """redaction.propose's spans over `text`, each judged at the level: the caseworker's
    choice ("keep" or "redact", by choice_key) where there is one, else the default; a
    forbidden one is always redacted."""
    out = []
    for span in case.propose(text):
        words = text[span.start : span.end]
        key = choice_key(span, words)
        judged = judge(span, words, level, case)
        chosen = choices.get(key)
        keep = chosen == "keep" if chosen else judged.kept
        out.append(Proposal(span, words, judged.forbidden or not keep, judged.forbidden, key))
    return out


def leak_finder(
    case: Case, level: str, choices: Mapping[str, str]
) -> Callable[[str], list[tuple[int, int, str]]]:
    """The leak check's finder: in a rendered text, what the final version would have
    redacted (of the kinds in LEAK_KINDS)."""

    def find(text: str) -> list[tuple[int, int, str]]:
        return [
            (p.span.start, p.span.end, p.span.kind)
            for p in proposals(text, case, level, choices)
            if p.redacted and p.span.kind in LEAK_KINDS
        ]

    return find
