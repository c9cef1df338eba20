# ruff: noqa: RUF001, RUF002, RUF003 -- Uyghur, Russian, Kazakh, Chinese text and full-width forms
"""The case's names found in a text, in every script, for `disclosure.redaction`.

Pure Python (no Django): each entity name is parsed with the `names` package into parts
with folded readings and phonetic keys, and spelt in the other scripts
(`names.variants`); each word of the text is folded the same way (with its case ending
cut off, and as pinyin for Latin words), and matches a part when they are alike enough
(`MATCH`, on names.scoring's measures). Runs of Chinese characters are read piece by piece
against the name table (`names.chinese`). Adjacent matches become one name, labelled with
the role whose name matches most of its parts.

Everything keyed by a name lives in one `NameFinder`, made per call and dropped with it.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

import names
from names import chinese, cyrillic, latin, uyghur
from names.keys import skeleton_and_vowel_key, strip_affixes
from names.scripts import ARAB, CYRL, HANI, LATN, char_script

from .patterns import HAN_CITIES

ROLES = ("missing", "relative", "reporter", "witness", "person")
# A hit: (start, end, kind, label), kind "name" or "place", label a role or "place".
Hit = tuple[int, int, str, str]

# Bounds on the work one call may do, whatever the text: distinct words read as possible
# names, and distinct Chinese character strings read against the name table (past that,
# a Chinese text is searched only for the entities' own Chinese spellings).
MAX_WORDS = 50_000
MAX_WORD = 40
MAX_HAN_TRIES = 20_000
MAX_HAN_PIECE = 7

# A word matches a name part at this similarity (names.scoring's measures: the folded
# forms, their vowel-class keys and consonant skeletons). Parts of three letters or fewer
# match only exactly: too many words are that close to Ali or Ay.
MATCH = 85.0
SHORT = 3
# Case endings a name takes inside a word, folded, by script: Uyghur (Arabic script, and
# Latin ULY), Kazakh and Russian (Cyrillic); Turkish puts an apostrophe before them, which
# splits the word anyway. Compound endings (Tursunjan, Nurbek) everywhere. A word is also
# tried with one of them cut off.
_UYGHUR = "ning ni gha ge qa ke da de ta te din tin diki tiki niki lar ler mu chu ga".split()
_KAZAKH = "nyng ning tyng dyng ding ny ni dy di ty ti ga ge qa ke na ne da de ta te".split()
_KAZAKH += "dan den tan ten nan nen men ben pen".split()
_RUSSIAN = "a u om e y oy ym ovym ovoy ovu ova ya yu ye yi iy".split()
_COMPOUND = "jan jon han bek".split()


def _longest_first(*groups: list[str]) -> tuple[str, ...]:
    return tuple(sorted({e for g in groups for e in g}, key=len, reverse=True))


_ENDINGS = {
    ARAB: _longest_first(_UYGHUR, _COMPOUND),
    LATN: _longest_first([e for e in _UYGHUR if len(e) > 1], _COMPOUND),
    CYRL: _longest_first(_KAZAKH, _RUSSIAN, _COMPOUND),
    "Mixed": _longest_first(_KAZAKH, _RUSSIAN, _COMPOUND),
}
# Words of places that are not themselves names: they do not make a place part.
_GENERIC_PLACE = frozenset(
    """village township town county city district prefecture region street road lane no
    number avenue camp school centre center house home building apartment flat room of the
    in near köyü köy kenti ilçesi mahallesi caddesi sokak yezisi yëzisi kenti nahiyisi
    mehellisi kochisi yoli shehiri bazar bazari village, ауыл ауылы село деревня улица ул
    район ауданы кенті көшесі lu jie cun xiang zhen xian qu shi""".split()
)
_HAN_PLACE_MARK = re.compile("(?:村|乡|镇|县|市|区|路|街|社区|小区)+$")
# Characters that are words of their own in Chinese prose and also stand in names.
_HAN_FUNCTION = frozenset("于的和在是了与及或被把从向对给为也都就还")
# What may stand between two parts of one name: spaces, middle dots, hyphens, and the
# format characters a pasted text hides there.
GAP = re.compile(r"[ \t\u00a0·•・‧\-‐‑–_\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]{0,3}")
# Inside a word, a capital after a small letter starts a new part (MemetTursun), and so
# does a change between Latin and Cyrillic letters that is not a look-alike trick.
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])(?<![A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_WORDS = re.compile(r"[^\W\d_]+")


# A name's first consonant may change voice from one script to another (Polat / 波拉提
# Bolat, Tursun / Dursun): the first-consonant classes (names.keys) of a voiced and a
# voiceless pair count as one.
_FIRST = {"b": "p", "d": "t", "g": "k", "j": "c"}


def _from_chinese(readings: list[str]) -> list[str]:
    """Readings of a name written in Chinese characters or pinyin, and the same with an
    initial h read as q or k: 哈 stands for Qa and Ka too (哈依拉提 is Qayrat)."""
    out = list(readings)
    for reading in readings:
        if reading.startswith("h") and len(reading) > SHORT:
            out.extend(("q" + reading[1:], "k" + reading[1:]))
    return out


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
    for ending in _ENDINGS.get(script, ()):
        if base.endswith(ending) and len(base) - len(ending) >= SHORT:
            out.append(base[: -len(ending)])
        # Folding merged a doubled letter (АХМТ + тың -> axmtyng): the stem ends in the
        # ending's first letter, which the word shows once (Kazakh, where endings
        # assimilate to the stem).
        tail = ending[1:]
        stem = base[: -len(tail)] if tail else ""
        doubled = script in (CYRL, "Mixed") and len(tail) >= 2 and base.endswith(tail)
        if doubled and len(stem) >= SHORT and stem[-1] == ending[0]:
            out.append(stem)
    if script == LATN and len(word) >= SHORT + 1:
        out.extend(_from_chinese(chinese.pinyin_readings(word)[:3]))
        if len(word) >= 8:
            for part in chinese.pinyin_parts(word):
                out.extend(part[:2])
    return list(dict.fromkeys(r for r in out if r))


def _targets_of(text: str, label: str) -> tuple[list[_Target], set[str]]:
    """Name-part targets of one entity name, and its spellings in Chinese characters."""
    readings: list[str] = []
    for part in names.parse(text).parts:
        part_readings = list(part.readings[:3] or (part.folded,))
        written_in_chinese = any(char_script(ch) == HANI for ch in part.written)
        if written_in_chinese or chinese.pinyin_readings(part.written):
            part_readings = _from_chinese(part_readings)  # 哈依拉提, Hayilati: also Qayrat
        readings.extend(part_readings)
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
    if abs(len(reading) - len(target.reading)) > 4:
        return 0.0  # too far apart in length for any rule below
    if len(reading) <= SHORT + 1:
        # A four-letter word leaves the keys too little to tell by (İzin has Yasin's vowel
        # key): one letter off at most with the first of one class (Adil / Adel, Eziz /
        # Aziz), or the same vowel key at the same length (Ömer / Umar).
        first = keys[1][:1] == target.vowels[:1]
        if first and OSA.distance(reading, target.reading) <= 1:
            return 88.0
        if keys[1] == target.vowels and len(reading) == len(target.reading):
            return 88.0
        return 0.0
    if _FIRST.get(keys[0][:1], keys[0][:1]) != _FIRST.get(target.skeleton[:1], target.skeleton[:1]):
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
        and fuzz.ratio(reading, target.reading) >= 60  # sinap is not Zeynep
    ):
        value = max(value, 90.0)
    if len(reading) >= 5 and OSA.distance(reading, target.reading) <= 1:
        value = max(value, 88.0)  # one letter off or two swapped: Askhat / Ashat, Kerim / Kreim
    return value


@functools.cache
def _han_pattern() -> re.Pattern[str]:
    """Runs of two or more characters of the name table (the table only: no case's name)."""
    chars = sorted({ch for row in chinese.rows() for ch in row.characters})
    return re.compile(f"[{re.escape(''.join(chars))}]{{2,}}")


class NameFinder:
    """The name and place-part targets of one call, and the words already judged. Made
    per call and dropped with it: nothing keyed by a name outlives the call."""

    def __init__(
        self, entity_names: Iterable[str | tuple[str, str]], places: Iterable[str] = ()
    ) -> None:
        self.targets: list[_Target] = []
        self.han: dict[str, str] = {}
        self.judged: dict[tuple[str, str, bool], dict[str, float]] = {}
        self.han_tries = 0
        for entry in entity_names:
            text, role = (entry, "person") if isinstance(entry, str) else entry
            label = role if role in ROLES else "person"
            if not text or not text.strip():
                continue
            targets, han = _targets_of(text, label)
            self.targets.extend(targets)
            for spelling in han:
                self.han.setdefault(spelling, label)
        for place in places:
            for word in _WORDS.findall(place or ""):
                if char_script(word[0]) == HANI:
                    word = _HAN_PLACE_MARK.sub("", word)  # 托库扎克村 -> 托库扎克
                elif word.lower() in _GENERIC_PLACE:
                    continue
                if len(word) > SHORT or (char_script(word[:1]) == HANI and len(word) >= 2):
                    targets, han = _targets_of(word, "place")
                    self.targets.extend(targets)
                    for spelling in han:
                        self.han.setdefault(spelling, "place")
        self._index()
        self.han_pattern = _han_pattern()

    def fresh(self) -> NameFinder:
        """The same targets for another text: the words judged and the work bound start
        again (a bound spent on one text must not blind the search in the next)."""
        other = copy.copy(self)
        other.judged = {}
        other.han_tries = 0
        return other

    def _index(self) -> None:
        # A long reading can only match a target with its first consonant class, a short
        # one one with its first vowel-key letter (see _similarity): look only at those.
        self.by_consonant: dict[str, list[_Target]] = {}
        self.by_vowel: dict[str, list[_Target]] = {}
        for target in self.targets:
            first = target.skeleton[:1]
            self.by_consonant.setdefault(_FIRST.get(first, first), []).append(target)
            self.by_vowel.setdefault(target.vowels[:1], []).append(target)

    def judge(self, readings: list[str], exact_only: bool) -> dict[str, float]:
        """Each label some reading matches a target of, with its best similarity."""
        found: dict[str, float] = {}
        for reading in readings:
            keys = skeleton_and_vowel_key(reading)
            if len(reading) <= SHORT + 1:
                near = self.by_vowel.get(keys[1][:1], [])
            else:
                first = keys[0][:1]
                near = self.by_consonant.get(_FIRST.get(first, first), [])
            for target in near:
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
        pieces of name-table characters whose reading matches a target (overlapping
        pieces are joined later)."""
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
                    piece = piece_run[i:j]
                    if piece in HAN_CITIES:
                        continue  # 喀什 reads like Qasim, and is Kashgar
                    labels = self._han_piece(piece)
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
            if self.han_tries >= MAX_HAN_TRIES:
                return {}  # past the bound only the entities' own spellings are found
            self.han_tries += 1
            parts = chinese.readings(piece)
            found = {}
            if len(parts) == 1:
                found = self.judge(_from_chinese([strip_affixes(r) for r in parts[0][:3]]), False)
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


def _name_hits(text: str, finder: NameFinder) -> Iterator[tuple[int, int, dict[str, float]]]:
    for m in _WORDS.finditer(text):
        for piece, script, at in _pieces(m.group(), m.start()):
            if script == HANI:
                yield from finder.han_run(piece, at)
            elif script:
                found = finder.word(piece, script)
                if found:
                    yield at, at + len(piece), found


def name_spans(text: str, finder: NameFinder) -> Iterator[Hit]:
    """Name hits joined into whole names (parts only spaces or a middle dot apart), each
    labelled with the role whose name matches most of its parts (ties: ROLES order)."""
    start = end = -1
    votes: dict[str, tuple[int, float]] = {}

    def whole() -> Hit:
        label = max(votes, key=lambda k: (votes[k], -_rank(k)))
        return start, end, _kind(label), label

    for hit_start, hit_end, found in sorted(_name_hits(text, finder), key=lambda h: h[:2]):
        if votes and hit_start > end and GAP.fullmatch(text, end, hit_start) is None:
            yield whole()
            votes = {}
        if not votes:
            start, end = hit_start, hit_end
        end = max(end, hit_end)
        for label, value in found.items():
            n, total = votes.get(label, (0, 0.0))
            votes[label] = (n + 1, total + value)
    if votes:
        yield whole()


def _kind(label: str) -> str:
    return "place" if label == "place" else "name"
