"""Redaction proposals for disclosure: which stretches of a text to hide, and with what.

Pure Python (no Django, nothing of the web app; an import-linter contract says so): the
staff page, the `propose_redactions` command and the leak check all call `propose`.

    propose(text, entities) -> [Span(start, end, kind, label), ...]  sorted, merged
    apply(text, spans)      -> the text with each span replaced by its fixed label

A span becomes a fixed label ("[relative's name]"), never a box the size of what it
hides: nothing can be read from lengths. Offsets are Python string indices into the text
as given, whatever normalisation the detectors ran on.

What is caught: every name the case knows in every script (parts alone too, with case
endings: Memet Tursun -> Мамат, مەمەتنىڭ, 买买提, Mehmet, Tursunov), the case's contacts,
ID numbers and places as given, and by pattern (`disclosure.patterns`) phone numbers,
e-mail addresses, messaging handles, ID and passport numbers, long digit runs,
addresses and village names with their marker words, and coordinates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import phonenumbers

from . import patterns
from .name_spans import GAP, ROLES, NameFinder, name_spans

__all__ = ["LABELS", "ROLES", "Entities", "Span", "apply", "propose"]


LABELS: dict[str, str] = {
    "missing": "[missing person's name]",
    "relative": "[relative's name]",
    "reporter": "[reporter's name]",
    "witness": "[witness's name]",
    "person": "[name]",
    "name": "[name]",
    "id_number": "[ID number]",
    "phone": "[phone number]",
    "email": "[e-mail address]",
    "handle": "[messaging handle]",
    "address": "[address]",
    "place": "[place]",
    "gps": "[coordinates]",
    "contact": "[contact]",
    "marked": "[redacted]",  # a word or phrase the caseworker chose to hide
}
_FIXED = frozenset(LABELS.values())

# Where spans overlap, the merged span takes the kind ranked highest here. "number" is a
# long digit run no detector named: a phone where the phone matcher saw one, else an ID.
_PRIORITY = {
    "id_number": 9,
    "phone": 8,
    "email": 8,
    "handle": 7,
    "contact": 7,
    "gps": 6,
    "number": 5,
    "name": 4,
    "address": 3,
    "place": 2,
    "marked": 1,
}

# Latitude and longitude written as two degree forms are one coordinate.
_GPS_GAP = re.compile(r"[\s,;/]{0,3}")


@dataclass(frozen=True, repr=False)
class Entities:
    """What the case knows, to be found in a text; every field optional.

    names: "text" or (text, role), role one of ROLES (a bare name is "person").
    contacts: phones, e-mails, handles as given. id_numbers: PRC ID, passport, IIN as
    given. places: village, street address, facility.
    """

    names: tuple[str | tuple[str, str], ...] = ()
    contacts: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # Names and contacts must not reach a log through a repr: only counts.
        return (
            f"Entities(names={len(self.names)}, contacts={len(self.contacts)}, "
            f"id_numbers={len(self.id_numbers)}, places={len(self.places)})"
        )


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of text to hide: offsets into the text as given, its kind, its label."""

    start: int
    end: int
    kind: str
    label: str = field(default="")

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", LABELS.get(self.kind, LABELS["contact"]))


def apply(text: str, spans: Iterable[Span]) -> str:
    """text with each span replaced by its fixed label (one of LABELS' values; a span with
    any other label gets its kind's). Overlapping spans are merged first."""
    out: list[str] = []
    at = 0
    for span in _merge([(s.start, s.end, s.kind, s.label) for s in spans]):
        start, end = max(span.start, at), min(span.end, len(text))
        if end <= start:
            continue
        label = span.label if span.label in _FIXED else LABELS.get(span.kind, LABELS["contact"])
        out.append(text[at:start])
        out.append(label)
        at = end
    out.append(text[at:])
    return "".join(out)


# --- What the case gives as it is -------------------------------------------------------


def _flexible(given: str) -> re.Pattern[str] | None:
    """A pattern for a given string, any case, any run of spaces where it has one."""
    words = [re.escape(w) for w in given.split()]
    if not words or sum(len(w) for w in words) < 2:
        return None
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _compact(text: str, keep: str) -> tuple[str, list[int]]:
    """The characters of text in keep (a regex class), upper-cased, with their offsets."""
    chars, where = [], []
    for m in re.finditer(keep, text):
        chars.append(m.group().upper())
        where.append(m.start())
    return "".join(chars), where


def _find_compact(
    needle: str, hay: str, where: list[int], kind: str
) -> Iterator[tuple[int, int, str, str]]:
    if len(needle) < 4:
        return
    at = hay.find(needle)
    while at >= 0:
        yield where[at], where[at + len(needle) - 1] + 1, kind, kind
        at = hay.find(needle, at + 1)


def _national_digits(contact: str) -> list[str]:
    digits = re.sub(r"\D", "", contact)
    out = [digits]
    for region in ("CN", "KZ", "TR", "US", "DE", "NL"):
        try:
            number = phonenumbers.parse(contact, region)
        except phonenumbers.NumberParseException:
            continue
        out.append(str(number.national_number))
    return [d for d in dict.fromkeys(out) if len(d) >= 6]


def _given_hits(text: str, entities: Entities) -> Iterator[tuple[int, int, str, str]]:
    alnum, alnum_at = _compact(text, r"[0-9A-Za-z]")
    digits, digits_at = _compact(text, r"[0-9]")
    for given in entities.id_numbers:
        needle = re.sub(r"[^0-9A-Za-z]", "", patterns.normalise(given or "").text).upper()
        yield from _find_compact(needle, alnum, alnum_at, "id_number")
    for given in entities.contacts:
        plain = patterns.normalise(given or "").text.strip()
        if not plain:
            continue
        if "@" in plain.strip("@") and "." in plain:
            kind = "email"
        elif len(re.sub(r"\D", "", plain)) >= 6 and not re.search(r"[A-Za-z]", plain):
            for needle in _national_digits(plain):
                yield from _find_compact(needle, digits, digits_at, "phone")
            continue
        else:
            kind = "handle"
            plain = plain.lstrip("@")
        pattern = _flexible(plain)
        if pattern:
            for m in pattern.finditer(text):
                start = (
                    m.start() - 1
                    if kind == "handle" and text[m.start() - 1 : m.start()] == "@"
                    else m.start()
                )
                yield start, m.end(), kind, kind
    for given in entities.places:
        pattern = _flexible(patterns.normalise(given or "").text.strip())
        if pattern:
            for m in pattern.finditer(text):
                yield m.start(), m.end(), "place", "place"


# --- Putting it together ---------------------------------------------------------------


def _merge(hits: Iterable[tuple[int, int, str, str]], text: str = "") -> list[Span]:
    """Overlapping hits merged (the higher-ranked kind names the whole); name hits of one
    label only spaces or a middle dot apart joined, so a name's parts are one label, and
    so are a latitude and a longitude.
    A hit's label is a LABELS key (a role, a kind) or a LABELS value."""
    merged: list[tuple[int, int, str, str]] = []
    for start, end, kind, label in sorted(h for h in hits if h[1] > h[0]):
        if merged:
            m_start, m_end, m_kind, m_label = merged[-1]
            joins = start < m_end or (
                bool(text)
                and kind == m_kind
                and label == m_label
                and (
                    (kind == "name" and GAP.fullmatch(text, m_end, start) is not None)
                    or (kind == "gps" and _GPS_GAP.fullmatch(text, m_end, start) is not None)
                )
            )
            if joins:
                if _PRIORITY.get(kind, 0) > _PRIORITY.get(m_kind, 0):
                    m_kind, m_label = kind, label
                merged[-1] = (m_start, max(m_end, end), m_kind, m_label)
                continue
        merged.append((start, end, kind, label))
    out = []
    for start, end, kind, label in merged:
        kind = "id_number" if kind == "number" else kind
        if label not in _FIXED:
            key = label if kind == "name" and label in ROLES else kind
            label = LABELS.get(key, LABELS["contact"])
        out.append(Span(start, end, kind, label))
    return out


def merge(spans: Iterable[Span], text: str) -> list[Span]:
    """The spans of several passes over one text, merged as propose merges its own."""
    return _merge(((s.start, s.end, s.kind, s.label) for s in spans), text)


class Proposer:
    """propose() for one case's entities, over many texts (a draft's fields, a rendered
    file's pages): the names' targets in every script are made once. Held for a request
    and dropped with it; each text starts with fresh work bounds."""

    def __init__(self, entities: Entities) -> None:
        self.entities = entities
        self._names = NameFinder(entities.names, entities.places)

    def __repr__(self) -> str:
        return f"Proposer({self.entities!r})"

    def __call__(self, text: str) -> list[Span]:
        return _propose(text, self.entities, self._names.fresh())


def propose(text: str, entities: Entities) -> list[Span]:
    """The spans of text to hide: sorted, non-overlapping, merged (see the module docstring)."""
    return _propose(text, entities, None)


def _propose(text: str, entities: Entities, names: NameFinder | None) -> list[Span]:
    if not text:
        return []
    norm = patterns.normalise(text)
    hits: list[tuple[int, int, str, str]] = []
    for start, end, kind in patterns.all_hits(norm.text):
        hits.append((start, end, kind, kind))
    hits.extend(_given_hits(norm.text, entities))
    if names is None:
        names = NameFinder(entities.names, entities.places)
    hits.extend(name_spans(norm.text, names))
    original = []
    for start, end, kind, label in hits:
        o_start, o_end = norm.span(start, end)
        original.append((o_start, o_end, kind, label))
    return _merge(original, text)
