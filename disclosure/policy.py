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

from . import consent, patterns
from .facts import WITHHELD
from .redaction import LABELS, Entities, Proposer, Span, merge

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


# Words that start a sentence or join names, never names themselves.
_NOT_NAMES = frozenset(
    "a an and the our my his her their its he she they we i you in on at of by with from "
    "to saw seen who was were is also both his wife husband son daughter brother sister "
    "neighbour neighbor friend mother father uncle aunt cousin police "
    "и в с на его ее её их мой моя наш наша сосед соседка жена муж видел видела видели "  # noqa: RUF001
    "ve bir ile onun benim bizim komşu komşumuz karısı kocası gördü "  # noqa: RUF001
    "және мен оның біздің көршіміз әйелі күйеуі көрді "
    "ۋە بىلەن ئۇنىڭ ئايالى ئېرى قوشنىمىز قوشنا كۆردى كۆرگەن ساقچى مېنىڭ بىزنىڭ ئۇلار".split()
)
_CAPITALISED = re.compile("[^\\W\\d_][\\w'\u2019-]*")
_HAN_RUN = re.compile("[\u4e00-\u9fff·・]{2,}")
# Words between Chinese names in a sentence: the runs are cut there.
_HAN_JOINS = re.compile("和|与|及|的|他|她|妻子|丈夫|邻居|看见|看到|见到|还有|以及")


def _pieces(text: str) -> list[str]:
    """The names a witnesses field gives: a short piece is taken whole ("Abdukerim Rozi");
    from a sentence ("our neighbour Abdukerim Rozi and his wife Patigul saw it"), every
    capitalised word that is not a common one, every Chinese run and every word in
    Arabic script (which has no capitals) that is not a common one, each as a name."""
    names: list[str] = []
    for piece in (p.strip() for p in _PIECES.split(text)):
        if not piece:
            continue
        if len(piece.split()) <= _NAME_WORDS and not _HAN_RUN.search(piece):
            names.append(piece)
        words = _CAPITALISED.findall(piece)
        if len(piece.split()) > _NAME_WORDS or _HAN_RUN.search(piece):
            for word in words:
                arabic = "\u0600" <= word[0] <= "\u06ff"
                if word.casefold() in _NOT_NAMES or len(word) < 3:
                    continue
                if word[0].isupper() or arabic:
                    names.append(word)
            for run in _HAN_RUN.findall(piece):
                names += [n for n in _HAN_JOINS.split(run) if len(n) >= 2]
    return names


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
# Never published, whatever the caseworker chooses: an ID number (county, birth date and
# sex in its digits), the family's village or street, coordinates.
PUBLISHED_NEVER = frozenset({"id_number", "place", "gps"})
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

    def __init__(self, entities: Entities, published: bool = False) -> None:
        self.entities = entities
        # For the press or the public: what pins a family to a door never stays in clear.
        self.published = published
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


def _plain_contact(text: str) -> str:
    plain = patterns.normalise(text).text.casefold()
    digits = re.sub(r"\D", "", plain)
    return digits if len(digits) >= 6 and "@" not in plain else re.sub(r"\s", "", plain)


def _reporters_own(words: str, case: Case) -> bool:
    """Whether a contact is one the reporter gave as theirs (the case's contacts are)."""
    found = _plain_contact(words)
    return bool(found) and any(
        found == given or (len(found) >= 6 and found in given)
        for given in (_plain_contact(c) for c in case.entities.contacts)
    )


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
        banned = (
            (level == consent.ANONYMOUS and span.kind == "id_number")
            or (case.published and span.kind in PUBLISHED_NEVER)
            or (
                span.kind in CONTACT_KINDS
                and not (level == consent.REPORTER_NAMED and _reporters_own(words, case))
            )
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
MARKED = LABELS["marked"]
FIXED_LABELS = (*LABELS.values(), WITHHELD)

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


MAX_MARKS = 200  # words and phrases a caseworker marks in one export


def _passes(text: str, case: Case, marked: Iterable[str]) -> list[tuple[Span, str]]:
    """The spans over `text`, each with the words it judges them by: the proposals over
    the text as written, and over its squeezed copy (a name cut by hyphens or spaced
    apart, patterns.squeeze), mapped back; and every marked word or phrase, found
    without regard to case, width, digits' script or accents typed apart."""
    found: list[tuple[Span, str]] = []
    copies = [patterns.normalise(text)]
    squeezed = patterns.squeeze(copies[0].text)
    for span in case.propose(text):
        found.append((span, text[span.start : span.end]))
    if squeezed is not None:
        for span in case.propose(squeezed.text):
            start, end = copies[0].span(*squeezed.span(span.start, span.end))
            found.append(
                (Span(start, end, span.kind, span.label), squeezed.text[span.start : span.end])
            )
    for word in marked:
        needle = patterns.normalise(word).text.strip()
        if not needle:
            continue
        pattern = re.compile(re.escape(needle), re.IGNORECASE)
        for match in pattern.finditer(copies[0].text):
            start, end = copies[0].span(match.start(), match.end())
            found.append((Span(start, end, "marked", MARKED), text[start:end]))
    return found


def proposals(
    text: str, case: Case, level: str, choices: Mapping[str, str], marked: Iterable[str] = ()
) -> list[Proposal]:
    """What to hide in `text`, each span judged at the level: the caseworker's choice
    ("keep" or "redact", by choice_key) where there is one, else the default; a forbidden
    one and a marked one are always redacted. Overlapping spans are merged; the merged
    span is redacted if any part of it is."""
    judged: list[tuple[Span, bool, bool]] = []
    for span, words in _passes(text, case, marked):
        if span.kind == "marked":
            judged.append((span, True, False))
            continue
        verdict = judge(span, words, level, case)
        chosen = choices.get(choice_key(span, text[span.start : span.end]))
        keep = chosen == "keep" if chosen else verdict.kept
        judged.append((span, verdict.forbidden or not keep, verdict.forbidden))
    out = []
    for merged in merge([span for span, _r, _f in judged], text):
        inside = [(r, f) for s, r, f in judged if s.start < merged.end and merged.start < s.end]
        words = text[merged.start : merged.end]
        key = choice_key(merged, words)
        forbidden = any(f for _r, f in inside)
        marked_here = any(
            s.kind == "marked"
            for s, _r, _f in judged
            if s.start < merged.end and merged.start < s.end
        )
        chosen = choices.get(key)
        if chosen and not marked_here:
            redacted = forbidden or chosen == "redact"
        else:
            redacted = any(r for r, _f in inside)
        out.append(Proposal(merged, words, redacted, forbidden, key))
    return out


def leak_finder(
    case: Case, level: str, choices: Mapping[str, str], marked: Iterable[str] = ()
) -> Callable[[str], list[tuple[int, int, str]]]:
    """The leak check's finder: in a rendered text, what the final version would have
    redacted (of the kinds in LEAK_KINDS, and the marked words)."""
    marks = list(marked)

    def find(text: str) -> list[tuple[int, int, str]]:
        return [
            (p.span.start, p.span.end, p.span.kind)
            for p in proposals(text, case, level, choices, marks)
            if p.redacted and (p.span.kind in LEAK_KINDS or p.span.kind == "marked")
        ]

    return find
