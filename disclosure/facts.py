"""The facts of one missing person, read from the decrypted contents of every report about
them (the structure the public form seals, schema version 1), for the export drafts.

Pure: no Django and nothing of the project, so that it runs anywhere the drafts do and
can be tested without a database. Nothing here raises on bad input: a key that is
absent, a None, or a value of the wrong type reads as "not known".

Several reports about one person are combined: every distinct value is kept in the
order the reports give it, and the most precise date is chosen, with any date of
another report that disagrees with it kept for the caseworker to see.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

NOT_KNOWN = "Not known"
WITHHELD = "[withheld]"

# The scripts of the form's name rows, in words.
SCRIPTS = {
    "ug-arab": "Uyghur (Arabic script)",
    "latin": "Latin",
    "cyrillic": "Cyrillic",
    "hani": "Chinese characters",
    "pinyin": "Pinyin",
    "other": "other script",
}
# When the reporter chose no script: the script the letters are in, by their Unicode name.
DETECTED = (("CJK", "Chinese characters"), ("ARABIC", "Arabic script"), ("CYRILLIC", "Cyrillic"))

MONTHS = tuple(calendar.month_name)  # "" then "January" ... "December", in English
PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}

_SPACE = re.compile(r"\s+")
# What separates the parts of a name in any of the form's scripts.
_NAME_PARTS = re.compile(r"[\s·•・‧.,\-]+")


def text(value: object) -> str:
    """A stored free-text value, trimmed; anything but a string reads as empty."""
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFC", value).strip()


def same_key(value: str) -> str:
    """How two texts are compared to drop repeats: case and spacing do not count."""
    return _SPACE.sub(" ", value).casefold()


def distinct(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        if value and same_key(value) not in seen:
            seen.add(same_key(value))
            kept.append(value)
    return tuple(kept)


def part(report: Mapping[str, object], section: str) -> Mapping[str, object]:
    data = report.get(section)
    return data if isinstance(data, Mapping) else {}


def reports(contents: object) -> tuple[Mapping[str, object], ...]:
    """The reports' contents that are mappings; anything else is left out."""
    if isinstance(contents, Mapping):
        return (contents,)
    if not isinstance(contents, Sequence) or isinstance(contents, str | bytes):
        return ()
    return tuple(c for c in contents if isinstance(c, Mapping))


def values(contents: Sequence[Mapping[str, object]], section: str, key: str) -> tuple[str, ...]:
    """Every distinct text given for `key` in `section`, in the reports' order."""
    return distinct(text(part(report, section).get(key)) for report in contents)


# Dates


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last(self) -> date:
        if self.day:
            return self.first()
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def short(self) -> str:
        """ "12 April 2017", "April 2017" or "2017"."""
        if self.month and self.day:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    def words(self) -> str:
        """The date with its precision stated: "April 2017 (day not known)"."""
        if self.precision == "day":
            return self.short()
        if self.precision == "month":
            return f"{self.short()} (day not known)"
        return f"{self.short()} (month and day not known)"

    def contains(self, other: PartialDate) -> bool:
        return self.first() <= other.first() and other.last() <= self.last()


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def partial_date(value: object) -> PartialDate | None:
    """A stored partial date ({year, month, day, precision}), or None when it has no valid
    year. A month or day that cannot be is dropped, and the date is as precise as what
    remains, or as its stated precision if that is lower."""
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, Mapping):
        return None
    year = _number(value.get("year"))
    if year is None or not 1 <= year <= 9999:
        return None
    month = _number(value.get("month"))
    if month is None or not 1 <= month <= 12:
        return PartialDate(year)
    day = _number(value.get("day"))
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        day = None
    found = PartialDate(year, month, day or None)
    stated = value.get("precision")
    if isinstance(stated, str) and stated in PRECISION_ORDER:
        if PRECISION_ORDER[stated] < PRECISION_ORDER[found.precision]:
            return PartialDate(year, month if stated == "month" else None)
    return found


def dates(
    contents: Sequence[Mapping[str, object]], section: str, key: str
) -> tuple[PartialDate, ...]:
    found = (partial_date(part(report, section).get(key)) for report in contents)
    return tuple(dict.fromkeys(d for d in found if d is not None))


def best_date(
    candidates: Sequence[PartialDate],
) -> tuple[PartialDate | None, tuple[PartialDate, ...]]:
    """The most precise date (the earliest of equally precise ones), and the dates of other
    reports that disagree with it: a coarser date that contains it agrees."""
    if not candidates:
        return None, ()
    best = min(candidates, key=lambda d: (-PRECISION_ORDER[d.precision], d.first()))
    others = tuple(d for d in candidates if d != best and not d.contains(best))
    return best, others


def date_words(candidates: Sequence[PartialDate]) -> str:
    best, others = best_date(candidates)
    if best is None:
        return NOT_KNOWN
    if not others:
        return best.words()
    said = "; ".join(d.words() for d in others)
    return f"{best.words()}. The reports differ: another report gives {said}."


def months_before(today: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if shorter)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


# Names


@dataclass(frozen=True, repr=False)
class Name:
    text: str
    script: str  # in words; "" when neither given nor recognisable

    def __repr__(self) -> str:
        return "Name(…)"

    def line(self) -> str:
        return f"{self.text} — {self.script}" if self.script else self.text


def _detected_script(name: str) -> str:
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return ""
    for marker, words in DETECTED:
        if all(marker in unicodedata.name(c, "") for c in letters):
            return words
    if all("LATIN" in unicodedata.name(c, "") for c in letters):
        return SCRIPTS["latin"]
    return ""


def names(contents: Sequence[Mapping[str, object]]) -> tuple[Name, ...]:
    """Every distinct name of the missing person, each with its script in words: the
    reporter's choice, else the script its letters are written in."""
    kept: dict[str, Name] = {}
    for report in contents:
        rows = part(report, "missing").get("names")
        if isinstance(rows, str):
            rows = [{"name": rows}]
        if not isinstance(rows, Sequence):
            continue
        for row in rows:
            if not isinstance(row, Mapping):
                continue
            name = text(row.get("name"))
            if not name:
                continue
            code = row.get("script")
            script = SCRIPTS.get(code, "") if isinstance(code, str) else ""
            script = script or _detected_script(name)
            key = same_key(name)
            if key not in kept or (script and not kept[key].script):
                kept[key] = Name(kept[key].text if key in kept else name, script)
    return tuple(kept.values())


def primary(found: Sequence[Name]) -> tuple[Name | None, tuple[Name, ...]]:
    """The name a UN or press reader reads first (the first in Latin letters, else the first
    given), and the others in the reports' order."""
    if not found:
        return None, ()
    latin = [n for n in found if n.script == SCRIPTS["latin"]]
    first = latin[0] if latin else found[0]
    return first, tuple(n for n in found if n is not first)


# Withholding: strings a template must not carry, masked in the free text it does carry.


def name_parts(name: str) -> tuple[str, ...]:
    return tuple(p for p in _NAME_PARTS.split(name) if len(p) >= 2)


def _is_cjk(value: str) -> bool:
    return any("CJK" in unicodedata.name(c, "") for c in value)


def withhold(value: str, strings: Iterable[str]) -> str:
    """`value` with every occurrence of `strings` replaced by "[withheld]", ignoring case.
    A word that starts with one of them is withheld whole, so that a name with a suffix
    attached (Uyghur and Kazakh attach case endings) is caught; characters, which have no
    spaces between words, are matched anywhere."""
    wanted = sorted({s for s in strings if len(s) >= 2}, key=len, reverse=True)
    if not value or not wanted:
        return value
    patterns = [
        re.escape(s) if _is_cjk(s) else rf"(?<!\w){re.escape(s)}\w*"
        for s in (unicodedata.normalize("NFC", s) for s in wanted)
    ]
    masked = re.compile("|".join(patterns), re.IGNORECASE).sub(WITHHELD, value)
    return masked


def names_to_withhold(names_: Iterable[str], keep: Iterable[str] = ()) -> set[str]:
    """Each name and its parts, but the parts also found in `keep` (the missing person's
    own name, where that may be given, shares parts with a parent's or sibling's)."""
    kept = {same_key(p) for k in keep for p in (k, *name_parts(k))}
    found: set[str] = set()
    for name in names_:
        found.add(name)
        found.update(p for p in name_parts(name) if same_key(p) not in kept)
    return found
