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
from datetime import date, datetime

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


def day_of(today: date) -> date:
    """A datetime passed as today counts as its date (the two do not compare)."""
    return today.date() if isinstance(today, datetime) else today


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
    Names in Uyghur and Kazakh take case endings, so a word that starts with a string of
    four letters or more is withheld whole; a shorter one ("Ali", "Ma") only as a word
    of its own, so that it does not take every word that starts like it. Characters,
    written without spaces between words, are matched anywhere."""
    wanted = sorted({s for s in strings if len(s) >= 2}, key=len, reverse=True)
    if not value or not wanted:
        return value
    patterns = []
    for string in (unicodedata.normalize("NFC", s) for s in wanted):
        if _is_cjk(string):
            patterns.append(re.escape(string))
        elif len(string) >= 4:
            patterns.append(rf"(?<!\w){re.escape(string)}\w*")
        else:
            patterns.append(rf"(?<!\w){re.escape(string)}(?!\w)")
    return re.compile("|".join(patterns), re.IGNORECASE).sub(WITHHELD, value)


def names_to_withhold(names_: Iterable[str], keep: Iterable[str] = ()) -> set[str]:
    """Each name and its parts, but the parts also found in `keep` (the missing person's
    own name, where that may be given, shares parts with a parent's or sibling's)."""
    kept = {same_key(p) for k in keep for p in (k, *name_parts(k))}
    found: set[str] = set()
    for name in names_:
        found.add(name)
        found.update(p for p in name_parts(name) if same_key(p) not in kept)
    return found


# The form's choices, in the English of a submission.

SEX = {"female": "Female", "male": "Male"}
ETHNICITY = {
    "uyghur": "Uyghur",
    "kazakh": "Kazakh",
    "kyrgyz": "Kyrgyz",
    "uzbek": "Uzbek",
    "tatar": "Tatar",
    "hui": "Hui",
}
WHAT_HAPPENED = {
    "detained": "Detained by police or state security",
    "camp": "Taken to a camp",
    "prison": "Held in prison",
    "sentenced": "Sentenced",
    "restricted": "Released, but under restrictions",
    "died": "Reported to have died",
    "unknown": "Contact lost; what happened is not known",
}
# Those the WGEID's mandate covers: state agents, or those acting with their acquiescence.
STATE = {
    "police": "Police or state security",
    "camp-prison": "Camp or prison authorities",
    "other-state": "Other state officials",
}
RELATIONSHIP = {
    "parent": "a parent of the missing person",
    "child": "a son or daughter of the missing person",
    "sibling": "a brother or sister of the missing person",
    "spouse": "the husband or wife of the missing person",
    "relative": "a relative of the missing person",
    "friend": "a friend or neighbour of the missing person",
}

# The six elements without which the WGEID does not take up a case. The keys are those of
# the draft fields that carry them.
MINIMUM: tuple[tuple[str, str], ...] = (
    ("name", "Full name of the missing person"),
    ("date", "Date of disappearance"),
    ("place", "Place of arrest or abduction, or where the person was last seen"),
    ("responsible", "Forces believed responsible"),
    ("steps", "Steps taken to find the person"),
    ("source", "Identity of the submitting organisation or person"),
)


class Case:
    """What the drafts need from the reports about one person, read once."""

    def __init__(self, contents: object) -> None:
        self.reports = reports(contents)
        self.names = names(self.reports)
        self.gone = dates(self.reports, "disappearance", "date")
        self.when = best_date(self.gone)[0]
        self.born = dates(self.reports, "missing", "birth_date")

    def __repr__(self) -> str:
        return f"Case(reports={len(self.reports)})"

    def values(self, section: str, key: str) -> tuple[str, ...]:
        return values(self.reports, section, key)

    def codes(self, section: str, key: str, known: Mapping[str, str]) -> tuple[str, ...]:
        """The distinct answers to a choice, in words; a code of another form version is
        kept as it was stored."""
        return distinct(known.get(v, v) for v in self.values(section, key))

    def sex(self) -> str:
        """ "female" or "male" when the reports say so and agree; else ""."""
        known = [v for v in self.values("missing", "sex") if v in SEX]
        return known[0] if len(known) == 1 else ""

    def ethnicity(self) -> str:
        known = [ETHNICITY[v] for v in self.values("missing", "ethnicity") if v in ETHNICITY]
        return known[0] if len(known) == 1 else ""

    def birth_year(self) -> int | None:
        """The year of birth when the reports agree on it."""
        years = {d.year for d in self.born}
        return years.pop() if len(years) == 1 else None

    def responsible(self) -> tuple[str, ...]:
        """The state agents the reports name, in words ("unknown", "other" and nothing do
        not count: the WGEID takes up a case only when state agents are believed
        responsible, or those acting with their support or acquiescence)."""
        return distinct(
            STATE.get(v, v)
            for v in self.values("disappearance", "responsible")
            if v not in ("unknown", "other")
        )

    def reporter_names(self) -> tuple[str, ...]:
        return self.values("reporter", "reporter_name")

    def contacts(self) -> tuple[str, ...]:
        return self.values("reporter", "contact")

    def parents(self) -> tuple[str, ...]:
        return self.values("missing", "father_name") + self.values("missing", "mother_name")

    def own_names(self) -> tuple[str, ...]:
        return tuple(n.text for n in self.names)

    def missing(self) -> tuple[str, ...]:
        """The keys of MINIMUM the reports do not give, in its order."""
        present = {
            "name": bool(self.names),
            "date": self.when is not None,
            "place": bool(self.values("disappearance", "place")),
            "responsible": bool(self.responsible()),
            "steps": bool(self.values("disappearance", "steps_taken")),
            "source": bool(self.reporter_names()),
        }
        return tuple(key for key, _heading in MINIMUM if not present[key])

    def urgency(self, today: date) -> tuple[bool, bool]:
        """(urgent, related): the disappearance falls within the three months before today,
        or else within the year before it. A month counts when any of its days is in the
        window; a year alone never makes a case urgent, since the WGEID needs the
        disappearance shown to be within the three months, but may make it related."""
        when = self.when
        if when is None or when.first() > today:
            return False, False
        urgent = when.precision != "year" and when.last() >= months_before(today, 3)
        related = not urgent and when.last() >= months_before(today, 12)
        return urgent, related
