"""A report as a caseworker reads it: the decrypted content in words.

Pure presentation: no database, no keys. Labels and choices come from the public form
(intake.forms), so a field is named in one place, and every word is translated into
the staff member's language when these functions run. What the reporter wrote keeps
its own direction (`direction="auto"`); words of the interface follow the page.

Content of any schema version reads: a key this module does not know (an older or
newer form) is shown under a label made from its name rather than dropped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from intake import forms as public
from intake.models import Consent, Message, Region, Status

# What the reporter typed: shown in its own direction. Words of the interface: "".
AUTO = "auto"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    direction: str = ""
    note: str = ""  # in words, after the value (a name's script)


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class Element:
    """One of the six things the WGEID needs to take a case up."""

    key: str
    label: str
    present: bool
    detail: str  # what the report says, in words; or why it is missing
    direction: str = ""


def humanise(key: str) -> str:
    """A label made from a key nobody named: `father_name` reads "Father name"."""
    words = str(key).replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "?"


def _choice_words(choices: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    return {code: label for code, label in choices if code}


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: object) -> int:
    if isinstance(value, int | str):
        return int(value)
    raise TypeError("not a number")


def partial_date(value: object) -> str:
    """A date as precise as the reporter knew it: "1978", "April 2017", "April 3, 2017",
    in the active language's formats. Anything else reads as text."""
    if not isinstance(value, Mapping):
        return "" if _empty(value) else str(value)
    year, month, day = value.get("year"), value.get("month"), value.get("day")
    precision = value.get("precision") or ("day" if day else "month" if month else "year")
    try:
        if precision == "day":
            return date_format(
                datetime.date(_number(year), _number(month), _number(day)), "DATE_FORMAT"
            )
        if precision == "month":
            return date_format(datetime.date(_number(year), _number(month), 1), "YEAR_MONTH_FORMAT")
        if precision == "year":
            return str(_number(year))
    except (TypeError, ValueError, OverflowError):
        pass
    return _mapping_words(value)


def _mapping_words(value: Mapping[str, object]) -> str:
    parts = [f"{humanise(k)}: {words(v)}" for k, v in value.items() if not _empty(v)]
    return "; ".join(parts)


def words(value: object) -> str:
    """Any stored value as text: dates by their precision, lists and mappings spelled out."""
    if _empty(value):
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Mapping):
        if "year" in value:
            return partial_date(value)
        return _mapping_words(value)
    if isinstance(value, list | tuple):
        return "; ".join(words(item) for item in value if not _empty(item))
    return str(value)


SCRIPTS = _choice_words(public.Script.CHOICES)


def script_name(code: object) -> str:
    """A name's script in words ("Uyghur (Arabic script)"); "" when not given."""
    if _empty(code):
        return ""
    return str(SCRIPTS.get(str(code), humanise(str(code))))


def name_rows(names: object) -> list[Row]:
    """The missing person's names as written, each with its script in words."""
    if not isinstance(names, list):
        return [] if _empty(names) else [Row(str(_label("name_1")), words(names), AUTO)]
    rows: list[Row] = []
    for entry in names:
        if isinstance(entry, Mapping):
            name, script = entry.get("name"), entry.get("script")
        else:
            name, script = entry, ""
        if _empty(name):
            continue
        label = _label("name_1") if not rows else _label("name_2")
        rows.append(Row(str(label), words(name), AUTO, script_name(script)))
    return rows


def _label(field: str) -> Promise | str:
    return public.ReportForm.base_fields[field].label or humanise(field)


# How each known key reads: its label, and how its value turns into words.
Reader = Callable[[object], Row | None]


def _text(label: Promise | str) -> Reader:
    def read(value: object) -> Row | None:
        return Row(str(label), words(value), AUTO)

    return read


def _choice(label: Promise | str, choices: Sequence[tuple[str, Any]]) -> Reader:
    known = _choice_words(choices)

    def read(value: object) -> Row | None:
        if isinstance(value, str) and value in known:
            return Row(str(label), str(known[value]))
        return Row(str(label), words(value), AUTO)  # a code of another version, as stored

    return read


def _date(label: Promise | str) -> Reader:
    def read(value: object) -> Row | None:
        return Row(str(label), partial_date(value))

    return read


def _field(name: str) -> Reader:
    return _text(_label(name))


def _form_choice(name: str, choices: Sequence[tuple[str, Any]]) -> Reader:
    return _choice(_label(name), choices)


# The form asks the reporter about "you"; a caseworker reads about the reporter.
SECTIONS: list[tuple[str, Promise, dict[str, Reader]]] = [
    (
        "missing",
        public.ReportForm.SECTIONS[0][0],
        {
            "father_name": _field("father_name"),
            "mother_name": _field("mother_name"),
            "sex": _form_choice("sex", public.SEX),
            "birth_date": _date(_("Date of birth")),
            "ethnicity": _form_choice("ethnicity", public.ETHNICITY),
            "id_number": _field("id_number"),
            "home_county": _field("home_county"),
            "home_village": _field("home_village"),
            "region": _form_choice("region", [("", ""), *Region.choices]),
            "occupation": _field("occupation"),
        },
    ),
    (
        "disappearance",
        public.ReportForm.SECTIONS[1][0],
        {
            "date": _date(_("Date of disappearance")),
            "last_contact": _field("last_contact"),
            "place": _field("place"),
            "what_happened": _form_choice("what_happened", public.WHAT_HAPPENED),
            "responsible": _choice(_("Believed responsible"), public.RESPONSIBLE),
            "facility": _field("facility"),
            "steps_taken": _field("steps_taken"),
            "narrative": _text(_("What happened, in the reporter's words")),
            "witnesses": _field("witnesses"),
        },
    ),
    (
        "reporter",
        _("The reporter"),
        {
            "reporter_name": _text(_("Reporter's name")),
            "relationship": _choice(_("Relationship to the missing person"), public.RELATIONSHIP),
            "country": _text(_("Country where the reporter lives")),
            "contact": _text(_("How to reach the reporter safely")),
            "threats": _text(_("Threats against the reporter or the family")),
            "relatives_at_home": _choice(_("Relatives still in the region"), public.YES_NO),
        },
    ),
]


def _names_like(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, Mapping) and "name" in v for v in value)


def _rows(data: Mapping[str, object], readers: Mapping[str, Reader]) -> list[Row]:
    rows: list[Row] = []
    if "names" in data:
        rows.extend(name_rows(data["names"]))
    for key, read in readers.items():  # the form's order
        if not _empty(data.get(key)):
            row = read(data[key])
            if row is not None and row.value:
                rows.append(row)
    for key, value in data.items():  # keys of another schema version, as stored
        if key != "names" and key not in readers and not _empty(value):
            if _names_like(value):
                rows.extend(name_rows(value))
            elif text := words(value):
                rows.append(Row(humanise(key), text, AUTO))
    return rows


def sections(content: Mapping[str, object]) -> list[Section]:
    """The report's content as ordered sections of rows, empty fields left out."""
    result = []
    known = {key for key, _title, _readers in SECTIONS}
    for key, title, readers in SECTIONS:
        data = content.get(key)
        if isinstance(data, Mapping):
            rows = _rows(data, readers)
            if rows:
                result.append(Section(str(title), rows))
    for key, data in content.items():
        if key in known or _empty(data):
            continue
        if isinstance(data, Mapping):
            rows = _rows(data, {})
        else:
            rows = [Row(humanise(key), words(data), AUTO)]
        if rows:
            result.append(Section(humanise(key), rows))
    return result


def _part(content: Mapping[str, object], section: str) -> Mapping[str, object]:
    data = content.get(section)
    return data if isinstance(data, Mapping) else {}


def wgeid_elements(content: Mapping[str, object]) -> list[Element]:
    """The six elements the WGEID needs, each present or missing, from the form's fields:
    who (a name), when (the date of disappearance), where (the place of arrest or where
    the person was last seen), who is believed responsible (not "we do not know"), what
    the family did (the steps taken), and who reports (the reporter's name)."""
    missing, gone, reporter = (_part(content, k) for k in ("missing", "disappearance", "reporter"))
    names = name_rows(missing.get("names"))
    when = partial_date(gone.get("date"))
    place = words(gone.get("place"))
    responsible = gone.get("responsible")
    known_responsible = (
        str(_choice_words(public.RESPONSIBLE).get(str(responsible), words(responsible)))
        if not _empty(responsible) and responsible != "unknown"
        else ""
    )
    steps = words(gone.get("steps_taken"))
    reporter_name = words(reporter.get("reporter_name"))
    relationship = reporter.get("relationship")
    who_reports = reporter_name
    if reporter_name and isinstance(relationship, str) and relationship:
        relation = _choice_words(public.RELATIONSHIP).get(relationship, relationship)
        who_reports = f"{reporter_name} ({relation})"

    def element(key: str, label: str, value: str, why_missing: str, direction: str) -> Element:
        if value:
            return Element(key, label, True, value, direction)
        return Element(key, label, False, why_missing)

    not_given = gettext("Not given.")
    return [
        element(
            "who",
            gettext("Who: the missing person's name"),
            names[0].value if names else "",
            not_given,
            AUTO,
        ),
        element("when", gettext("When: the date of disappearance"), when, not_given, ""),
        element(
            "where",
            gettext("Where: the place of arrest, or where the person was last seen"),
            place,
            not_given,
            AUTO,
        ),
        element(
            "responsible",
            gettext("Who is believed responsible"),
            known_responsible,
            gettext("The reporter does not know.") if responsible == "unknown" else not_given,
            "",
        ),
        element(
            "steps",
            gettext("What the family did to find the person"),
            steps,
            not_given,
            AUTO,
        ),
        element(
            "reporter",
            gettext("Who reports"),
            who_reports,
            not_given,
            AUTO,
        ),
    ]


def language_name(code: str) -> str:
    """A language code in words, in the staff member's language ("ug" reads "Uyghur")."""
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _label_of(choices: Iterable[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, humanise(value) if value else ""))


def metadata(report: Any) -> list[Row]:
    """The report's clear workflow fields in words (the page's title gives its day)."""
    rows = [
        Row(gettext("Status"), _label_of(Status.choices, report.status)),
        Row(gettext("Consent"), _label_of(Consent.choices, report.consent)),
        Row(gettext("Language of the report"), language_name(report.language)),
        Row(gettext("Region"), _label_of(Region.choices, report.region) or gettext("Not given")),
    ]
    return rows


def sender(code: str) -> str:
    """Who wrote a message in the thread, in words."""
    if code == Message.Sender.REPORTER:
        return gettext("The reporter")
    if code == Message.Sender.STAFF:
        return pgettext("message sender", "Staff")
    return humanise(code)


FILE_KINDS: dict[str, Promise] = {
    "jpeg": _("JPEG photo"),
    "png": _("PNG image"),
    "pdf": _("PDF document"),
    "docx": _("Word document"),
    "xlsx": _("Excel spreadsheet"),
    "odt": _("OpenDocument text"),
}

# Re-encoded from their pixels at intake (intake.cleaning.images): safe to show inline.
PREVIEWABLE = {"jpeg": "image/jpeg", "png": "image/png"}


def file_kind(kind: str) -> str:
    return str(FILE_KINDS.get(kind, humanise(kind)))


def preview_type(kind: str) -> str | None:
    """The content type a file may be shown inline with, or None: images only."""
    return PREVIEWABLE.get(kind)


@dataclass(frozen=True)
class FileRow:
    id: Any
    name: str
    kind: str  # in words
    size: int
    preview: bool


def file_rows(files: Iterable[Any]) -> list[FileRow]:
    """Attachments with their kind in words, and whether an inline preview can be shown."""
    return [
        FileRow(f.id, f.name, file_kind(f.kind), f.size, preview_type(f.kind) is not None)
        for f in files
    ]


@dataclass(frozen=True)
class ThreadRow:
    sender: str  # in words
    from_staff: bool
    text: str
    day: str
    attachments: int


def thread_rows(entries: Iterable[Any]) -> list[ThreadRow]:
    """The thread with the reporter in the order given (oldest first, newest last)."""
    return [
        ThreadRow(
            sender(e.sender),
            e.sender == Message.Sender.STAFF,
            e.text,
            date_format(e.sent_on, "DATE_FORMAT"),
            e.attachment_count,
        )
        for e in entries
    ]
