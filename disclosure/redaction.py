# ruff: noqa: RUF001, RUF002, RUF003 -- Uyghur, Russian, Kazakh, Chinese text and full-width forms
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
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

import names
from names import chinese, cyrillic, latin, uyghur
from names.keys import skeleton_and_vowel_key, strip_affixes
from names.scripts import ARAB, CYRL, HANI, LATN, char_script

from . import patterns

ROLES = ("missing", "relative", "reporter", "witness", "person")

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
}

# Bounds on the work one call may do, whatever the text: distinct words read as possible
# names, and Chinese character strings read against the name table.
MAX_WORDS = 50_000
MAX_WORD = 40
MAX_HAN_TRIES = 30_000
MAX_HAN_PIECE = 8

# A word matches a name part at this similarity (names.scoring's measures: the folded
# forms, their vowel-class keys and consonant skeletons). Parts of three letters or fewer
# match only exactly: too many words are that close to Ali or Ay.
MATCH = 85.0
SHORT = 3
# Case endings a name takes inside a word (folded): Uyghur, Kazakh, Russian, Turkish
# without apostrophe. A word is also tried with one of them cut off.
_ENDINGS = tuple(
    sorted(
        {
            *"ning nin ni gha ga qa ke ge da de ta te din tin diki tiki lar ler".split(),
            *"mu chu niki".split(),
            *"nyng tyng dyng ding ny dy ty men ben pen nan nen dan den tan ten na ne".split(),
            *"a u om e y oy ym ovym ovoy ovu ova ym iy ya yu in yn un ye yi".split(),
            *"jan jon han bek".split(),
        },
        key=len,
        reverse=True,
    )
)
# Words of places that are not themselves names: they do not make a place part.
_GENERIC_PLACE = frozenset(
    """village township town county city district prefecture region street road lane no
    number avenue camp school centre center house home building apartment flat room of the
    in near köyü köy kenti ilçesi mahallesi caddesi sokak yezisi yëzisi kenti nahiyisi
    mehellisi kochisi yoli shehiri bazar bazari village, ауыл ауылы село деревня улица ул
    район ауданы кенті көшесі lu jie cun xiang zhen xian qu shi""".split()
)
# Characters that are words of their own in Chinese prose and also stand in names.
_HAN_FUNCTION = frozenset("于的和在是了与及或被把从向对给为也都就还")
_GAP = re.compile(r"[ \t\u00a0·•・‧\-‐‑–_\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]{0,3}")
# Latitude and longitude written as two degree forms are one coordinate.
_GPS_GAP = re.compile(r"[\s,;/]{0,3}")
# Inside a word, a capital after a small letter starts a new part (MemetTursun), and so
# does a change between Latin and Cyrillic letters that is not a look-alike trick.
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])(?<![A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_WORDS = re.compile(r"[^\W\d_]+")


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


# --- Names ----------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Target:
    reading: str
    skeleton: str
    vowels: str
    label: str  # a LABELS key: the role, or "place"


def _folded(word: str, script: str) -> str:
    if script == LATN:
        return latin.fold_uly(latin.uly(word))
    if script == CYRL:
        return latin.fold_uly(cyrillic.uly(word))
    if script == ARAB:
        return latin.fold_uly(uyghur.to_uly(word))
    if script == "Mixed":
        return latin.fold_uly(
            "".join(latin.uly(ch) if char_script(ch) == LATN else cyrillic.uly(ch) for ch in word)
        )
    return ""


def _word_readings(word: str, script: str, endings: bool = True) -> list[str]:
    """Folded readings of one word of a text: as written, its affixes stripped, and unless
    endings is false, with one case ending cut off and for Latin its pinyin readings
    (Maimaiti -> memet)."""
    base = _folded(word, script)
    if not base:
        return []
    out = [base, strip_affixes(base)]
    if not endings:
        return list(dict.fromkeys(out))
    if script in (CYRL, LATN, "Mixed"):
        # Kazakh writes w as у after a vowel (Бауыржан is Bawyrzhan).
        out.append(re.sub(r"(?<=[aeiou])u(?=[a-z])", "w", base))
    for ending in _ENDINGS:
        # Folding merged a doubled letter (АХМТ + тың -> axmtyng): cut the ending's tail.
        for cut in (ending, ending[1:]) if len(ending) >= 3 else (ending,):
            if base.endswith(cut) and len(base) - len(cut) >= SHORT:
                out.append(base[: -len(cut)])
    if script == LATN and len(word) >= SHORT + 1:
        out.extend(chinese.pinyin_readings(word)[:3])
        if len(word) >= 8:
            for part in chinese.pinyin_parts(word):
                out.extend(part[:2])
    return list(dict.fromkeys(r for r in out if r))


def _targets_of(text: str, label: str) -> tuple[list[_Target], set[str]]:
    """Name-part targets of one entity name, and its spellings in Chinese characters."""
    readings: list[str] = []
    for part in names.parse(text).parts:
        readings.extend(part.readings[:3] or (part.folded,))
    spelled = names.variants(text)
    for script in (LATN, CYRL, ARAB):
        for spelling in spelled.get(script, []):
            for word in _WORDS.findall(spelling):
                folded = _folded(word, script)
                if folded:
                    readings.append(strip_affixes(folded))
                if script == LATN and len(word) >= 8:
                    # Pinyin run together (xiayidanabudureyimu): each name in it.
                    readings.extend(r for part in chinese.pinyin_parts(word) for r in part[:2])
    han: set[str] = set()
    for spelling in spelled.get(HANI, []):
        han.update(p for p in re.split(r"[·•・‧.\s\-]+", spelling) if len(p) >= 2)
    targets = []
    for reading in dict.fromkeys(r for r in readings if len(r) >= 2):
        sk, vk = skeleton_and_vowel_key(reading)
        targets.append(_Target(reading, sk, vk, label))
    return targets, han


def _similarity(reading: str, keys: tuple[str, str], target: _Target) -> float:
    """0..100 as names.scoring measures parts, plus one rule for redaction: the same
    consonant skeleton with alike vowels (Kerim / Kerem, Adil / Adel) is a match, since
    Uyghur names swap i and e from one spelling to the next."""
    if reading == target.reading:
        return 100.0
    if len(reading) <= SHORT or len(target.reading) <= SHORT:
        return 0.0
    if keys[0][:1] != target.skeleton[:1]:
        return 0.0  # a different first consonant (Nomer / Omer) is another word
    value = max(
        fuzz.ratio(reading, target.reading),
        fuzz.ratio(keys[1], target.vowels) * 0.95 if len(target.skeleton) >= 2 else 0.0,
        fuzz.ratio(keys[0], target.skeleton) * 0.8 if len(target.skeleton) >= 3 else 0.0,
    )
    if (
        keys[0] == target.skeleton
        and keys[1][:1] == target.vowels[:1]  # bilen is not Iblayin
        and len(keys[0]) >= 2
        and abs(len(reading) - len(target.reading)) <= 2
        and fuzz.ratio(keys[1], target.vowels) >= 75
    ):
        value = max(value, 90.0)
    if len(reading) >= 5 and OSA.distance(reading, target.reading) <= 1:
        value = max(value, 88.0)  # one letter off or two swapped: Askhat / Ashat, Kerim / Kreim
    return value


class _NameFinder:
    """The name and place-part targets of one call, and the words already judged. Made
    per call and dropped with it: nothing keyed by a name outlives the call."""

    def __init__(self, entities: Entities) -> None:
        self.targets: list[_Target] = []
        self.han: dict[str, str] = {}
        self.judged: dict[tuple[str, str, bool], dict[str, float]] = {}
        self.han_tries = 0
        for entry in entities.names:
            text, role = (entry, "person") if isinstance(entry, str) else entry
            label = role if role in ROLES else "person"
            if not text or not text.strip():
                continue
            targets, han = _targets_of(text, label)
            self.targets.extend(targets)
            for spelling in han:
                self.han.setdefault(spelling, label)
        for place in entities.places:
            for word in _WORDS.findall(place or ""):
                if word.lower() in _GENERIC_PLACE or char_script(word[0]) == HANI:
                    continue
                if len(word) > SHORT:
                    targets, han = _targets_of(word, "place")
                    self.targets.extend(targets)
                    for spelling in han:
                        self.han.setdefault(spelling, "place")
        chars = sorted({ch for row in chinese.rows() for ch in row.characters})
        self.han_pattern = re.compile(f"[{re.escape(''.join(chars))}]{{2,}}")

    def judge(self, readings: list[str], exact_only: bool) -> dict[str, float]:
        """Each label some reading matches a target of, with its best similarity."""
        found: dict[str, float] = {}
        for reading in readings:
            keys = skeleton_and_vowel_key(reading)
            for target in self.targets:
                value = _similarity(reading, keys, target)
                if value >= (100.0 if exact_only else MATCH) and value > found.get(
                    target.label, 0.0
                ):
                    found[target.label] = value
        return found

    def word(self, word: str, script: str) -> dict[str, float]:
        # In cased scripts a lower-case word matches only exactly and as written: a name
        # is capitalised, and most false alarms are ordinary words (болатын is not Bolat).
        exact_only = script in (LATN, CYRL, "Mixed") and not word[:1].isupper()
        key = (word, script, exact_only)
        found = self.judged.get(key)
        if found is not None:
            return found
        if len(self.judged) >= MAX_WORDS or len(word) > MAX_WORD or not self.targets:
            return {}
        readings = _word_readings(word, script, endings=not exact_only)
        found = self.judged[key] = self.judge(readings, exact_only)
        return found

    def han_run(self, run: str, offset: int) -> Iterator[tuple[int, int, dict[str, float]]]:
        """Names in a run of Chinese characters: the entities' Chinese spellings, and
        pieces of name-table characters whose reading matches a target. Where pieces
        overlap the best one wins (玉努斯 over 玉努斯于, whose last character is a word
        of its own)."""
        found: list[tuple[float, int, int, dict[str, float]]] = []
        for spelling, label in self.han.items():
            at = run.find(spelling)
            while at >= 0:
                found.append((101.0, at, at + len(spelling), {label: 100.0}))
                at = run.find(spelling, at + 1)
        for m in self.han_pattern.finditer(run) if self.targets else ():
            piece_run = m.group()
            for i in range(len(piece_run) - 1):
                for j in range(i + 2, min(len(piece_run), i + MAX_HAN_PIECE) + 1):
                    if self.han_tries >= MAX_HAN_TRIES:
                        break
                    self.han_tries += 1
                    labels = self._han_piece(piece_run[i:j])
                    if labels:
                        found.append((max(labels.values()), m.start() + i, m.start() + j, labels))
        matched = {(start, end) for _, start, end, _ in found}
        for score, start, end, labels in found:
            # A piece that is a matched one with a function character stuck on is that
            # name and the next word (玉努斯于: 于 is "at"), unless an entity spells it so.
            if score <= 100.0 and (
                (run[end - 1] in _HAN_FUNCTION and (start, end - 1) in matched)
                or (run[start] in _HAN_FUNCTION and (start + 1, end) in matched)
            ):
                continue
            yield offset + start, offset + end, labels

    def _han_piece(self, piece: str) -> dict[str, float]:
        key = (piece, HANI, False)
        found = self.judged.get(key)
        if found is None:
            parts = chinese.readings(piece)
            found = {}
            if len(parts) == 1:
                found = self.judge([strip_affixes(r) for r in parts[0][:3]], False)
            self.judged[key] = found
        return found


def _rank(label: str | None) -> int:
    return ROLES.index(label) if label in ROLES else len(ROLES)


def _script_runs(word: str, start: int) -> Iterator[tuple[str, str, int]]:
    """A word split where its script changes (Memet买买提): (piece, script, offset)."""
    run_start, run_script = 0, ""
    for i, ch in enumerate(word):
        script = char_script(ch) or run_script
        if script != run_script and i > run_start:
            yield word[run_start:i], run_script, start + run_start
            run_start = i
        run_script = script
    yield word[run_start:], run_script, start + run_start


def _pieces(word: str, start: int) -> Iterator[tuple[str, str, int]]:
    """The pieces of one word to judge: (piece, script, offset). A word mixing Latin and
    Cyrillic letters (a look-alike trick: "Maмат") is one piece, read letter by letter;
    a camel-case word (MemetTursun) also gives its parts."""
    runs = list(_script_runs(word, start))
    scripts = {script for _, script, _ in runs}
    if len(runs) > 1 and scripts <= {LATN, CYRL}:
        yield word, "Mixed", start
    else:
        yield from runs
    cuts = [m.start() for m in _CAMEL.finditer(word)]
    if cuts and len(word) > 2 * SHORT:
        for begin, end in zip([0, *cuts], [*cuts, len(word)], strict=True):
            yield from _pieces(word[begin:end], start + begin)


def _name_hits(text: str, finder: _NameFinder) -> Iterator[tuple[int, int, dict[str, float]]]:
    for m in _WORDS.finditer(text):
        for piece, script, at in _pieces(m.group(), m.start()):
            if script == HANI:
                yield from finder.han_run(piece, at)
            elif script:
                found = finder.word(piece, script)
                if found:
                    yield at, at + len(piece), found


def _name_spans(text: str, finder: _NameFinder) -> Iterator[tuple[int, int, str, str]]:
    """Name hits joined into whole names (parts only spaces or a middle dot apart), each
    labelled with the role whose name matches most of its parts (ties: ROLES order)."""
    group: list[tuple[int, int, dict[str, float]]] = []

    def flush() -> Iterator[tuple[int, int, str, str]]:
        if group:
            votes: dict[str, tuple[int, float]] = {}
            for _, _, found in group:
                for label, value in found.items():
                    n, total = votes.get(label, (0, 0.0))
                    votes[label] = (n + 1, total + value)
            label = max(votes, key=lambda k: (votes[k], -_rank(k)))
            yield group[0][0], max(e for _, e, _ in group), _kind(label), label
            group.clear()

    for start, end, found in sorted(_name_hits(text, finder), key=lambda h: (h[0], h[1])):
        if group:
            last_end = max(e for _, e, _ in group)
            if start > last_end and _GAP.fullmatch(text, last_end, start) is None:
                yield from flush()
        group.append((start, end, found))
    yield from flush()


def _kind(label: str) -> str:
    return "place" if label == "place" else "name"


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
                    (kind == "name" and _GAP.fullmatch(text, m_end, start) is not None)
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


def propose(text: str, entities: Entities) -> list[Span]:
    """The spans of text to hide: sorted, non-overlapping, merged (see the module docstring)."""
    if not text:
        return []
    norm = patterns.normalise(text)
    hits: list[tuple[int, int, str, str]] = []
    for start, end, kind in patterns.all_hits(norm.text):
        hits.append((start, end, kind, kind))
    hits.extend(_given_hits(norm.text, entities))
    hits.extend(_name_spans(norm.text, _NameFinder(entities)))
    original = []
    for start, end, kind, label in hits:
        o_start, o_end = norm.span(start, end)
        original.append((o_start, o_end, kind, label))
    return _merge(original, text)
