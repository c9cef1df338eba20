"""The auditor's questions to the log: who, what, when, about which subject.

Filters take only values from fixed lists (actions, staff logins, the fixed actors) or
strict formats (dates, opaque ids): anything else is a form error, never a query.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Staff

from . import display
from .chain import midnight
from .models import Action, Entry, Head, Waiting

PAGE_SIZE = 100
WAITING_SHOWN = 100
SUBJECTS_SHOWN = 5  # per entry on the page; the download and the subject filter have all
CSV_BATCH = 1000
DATE_HELP = _("A day as YYYY-MM-DD, for example 2026-11-29.")
DATE_ERROR = _("Write the date as YYYY-MM-DD, for example 2026-11-29.")
SUBJECT = re.compile(r"\A(?:[0-9a-f]{32}|[0-9]{1,18})\Z")


def actor_choices() -> list[tuple[str, str]]:
    staff = Staff.objects.order_by("username").values_list("pk", "username")
    return [
        ("", str(_("Anyone"))),
        *((f"staff:{pk}", login) for pk, login in staff),
        *((actor, str(label)) for actor, label in display.FIXED_ACTORS.items()),
    ]


def action_choices() -> list[tuple[str, str]]:
    labelled = sorted(((a.value, str(a.label)) for a in Action), key=lambda c: c[1].lower())
    return [("", str(_("Any action"))), *labelled]


FIRST_YEAR, LAST_YEAR = 2000, 2999


class LogFilter(forms.Form):
    actor = forms.ChoiceField(
        label=_("Who"),
        required=False,
        error_messages={"invalid_choice": _("Choose who from the list, or “Anyone”.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        error_messages={"invalid_choice": _("Choose an action from the list, or “Any action”.")},
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=DATE_HELP,
        error_messages={"invalid": DATE_ERROR},
    )
    end = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=DATE_HELP,
        error_messages={"invalid": DATE_ERROR},
    )
    subject = forms.CharField(
        label=_("Subject id"),
        required=False,
        max_length=32,
        help_text=_("The full id of a report, case or staff account, as the links below give it."),
        error_messages={
            "max_length": _("A subject id has at most 32 characters: use a link from the log.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = actor_choices()  # type: ignore[attr-defined]
        self.fields["action"].choices = action_choices()  # type: ignore[attr-defined]

    def clean_subject(self) -> str:
        value = str(self.cleaned_data.get("subject") or "").strip().lower()
        if value and not SUBJECT.match(value):
            raise forms.ValidationError(
                _("A subject id is 32 letters and digits, or a number: use a link from the log.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("start", "end"):
            day = cleaned.get(name)
            # The log began in this century; a far date would overflow the day after it.
            if day and not (FIRST_YEAR <= day.year <= LAST_YEAR):
                self.add_error(
                    name,
                    _("Give a day between the years %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                cleaned.pop(name, None)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end", _("“To” is before “From”: swap the two days, or change one of them.")
            )
        return cleaned

    def query(self) -> dict[str, str]:
        """The valid filters as GET parameters (for page links and the download)."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in self.cleaned_data.items()
            if value
        }


def filtered(model: type[Entry] | type[Waiting], filters: dict[str, Any]) -> QuerySet[Any]:
    rows = model.objects.all()
    if filters.get("actor"):
        rows = rows.filter(actor=filters["actor"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("start"):
        rows = rows.filter(created_at__gte=midnight(filters["start"]))
    if filters.get("end"):
        rows = rows.filter(created_at__lt=midnight(filters["end"] + timedelta(days=1)))
    if filters.get("subject"):
        # An element of the JSON list, quotes included: "5" never matches "15".
        rows = rows.filter(subjects__icontains=f'"{filters["subject"]}"')
    return rows


def chain_entries(filters: dict[str, Any]) -> QuerySet[Entry]:
    return filtered(Entry, filters).order_by("-sequence")


@dataclass
class ChainPage:
    entries: list[Entry]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def chain_page(filters: dict[str, Any], page: str | None) -> ChainPage:
    """One page of the chain, newest first. Unfiltered, the sequence numbers run without
    gaps from 1 to the head, so a page is a range of them and the count is the head's:
    page 2,000 costs what page 1 does. Filtered, a count and an offset."""
    try:
        number = max(1, int(page or 1))
    except ValueError:
        number = 1
    if any(filters.values()):
        rows = chain_entries(filters)
        count = rows.count()
        num_pages = max(1, -(-count // PAGE_SIZE))
        number = min(number, num_pages)
        start = (number - 1) * PAGE_SIZE
        return ChainPage(list(rows[start : start + PAGE_SIZE]), number, num_pages, count)
    count = Head.objects.filter(singleton=True).values_list("sequence", flat=True).first() or 0
    num_pages = max(1, -(-count // PAGE_SIZE))
    number = min(number, num_pages)
    high = count - (number - 1) * PAGE_SIZE
    entries = Entry.objects.filter(sequence__lte=high, sequence__gt=high - PAGE_SIZE)
    return ChainPage(list(entries.order_by("-sequence")), number, num_pages, count)


def waiting_entries(filters: dict[str, Any]) -> QuerySet[Waiting]:
    # An order that says nothing of when they happened, as when they join the chain.
    return filtered(Waiting, filters).order_by("created_at", "action", "actor", "id")


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = (
    _("Entry"),
    _("Day or time (UTC)"),
    _("Who"),
    _("Actor id"),
    _("Action"),
    _("Action code"),
    _("Subjects"),
    _("Subject ids"),
)


def csv_lines(filters: dict[str, Any]) -> Iterator[str]:
    """The filtered entries as CSV, waiting ones first (no entry number), then the
    chain, newest first. Looked up and written in batches, so memory stays flat."""
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(gettext(str(h))) for h in CSV_HEADER])
    for batch in _batches(waiting_entries(filters)):
        yield from _csv_rows(writer, batch)
    for batch in _batches(chain_entries(filters)):
        yield from _csv_rows(writer, batch)


def _batches(rows: QuerySet[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows.iterator(chunk_size=CSV_BATCH):
        batch.append(row)
        if len(batch) == CSV_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _csv_rows(writer: Any, batch: list[display.LogEntry]) -> Iterator[str]:
    for row in display.rows(batch):
        cells = [
            "" if row.sequence is None else row.sequence,
            row.when,
            row.actor,
            row.actor_id,
            row.action_label,
            row.action,
            "; ".join(s.text for s in row.subjects),
            " ".join(s.id for s in row.subjects),
        ]
        yield writer.writerow([safe_cell(cell) for cell in cells])
