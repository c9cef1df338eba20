"""Statistics for coordinators, counted in SQL from clear workflow fields only.

Reports are counted by month received, region, language, consent level and status;
persons (cases) by status and verification. Nothing sealed is read, so nothing is
decrypted: these figures need no key.

Exact counts never leave this module. Every figure is returned as it may be shown:
a count from 1 to 4 becomes "< 5" (`SMALL`), and where the table's total would give
such a count back by subtraction, the next smallest count is withheld too
(`suppress`). Tables, charts and the CSV are all made from these figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from intake.models import Consent, Region, Report, Status

from .models import Person, PersonStatus, Verification

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
MAX_MONTHS = 120  # the longest period one page covers


def small_label() -> str:
    return gettext("< %(limit)d") % {"limit": SMALL}


def withheld_label() -> str:
    return gettext("withheld")


# Short names for the consent levels: the reporter's sentences are too long for a chart.
CONSENT_NAMES: Mapping[str, Promise] = {
    Consent.INTERNAL: _("Organisation only"),
    Consent.UN_CONFIDENTIAL: _("UN, identity kept confidential"),
    Consent.UN_NAMED: _("UN, reporter named"),
    Consent.PARTNERS: _("Partners, without names"),
    Consent.PUBLISH_NAME: _("Missing person's name may be published"),
    Consent.PUBLIC: _("Full public use"),
}


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, as the filter and the monthly table name it."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """ "2027-04" (what <input type="month"> sends), or None."""
        parts = text.strip().split("-")
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
            return None
        year, month = int(parts[0]), int(parts[1])
        if len(parts[0]) != 4 or not 1 <= month <= 12 or not 1900 <= year <= 2999:
            return None
        return cls(year, month)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def minus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    def months_to(self, other: Month) -> int:
        """How many months from this one to `other`, counting both."""
        return (other.year - self.year) * 12 + other.month - self.month + 1

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def name(self) -> str:
        """ "April 2027", in the active language."""
        return date_format(self.first_day(), "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class Period:
    first: Month
    last: Month

    def describe(self) -> str:
        return gettext("%(first)s to %(last)s") % {
            "first": self.first.name(),
            "last": self.last.name(),
        }


@dataclass(frozen=True)
class Figure:
    """One row of a table as it may be shown.

    `shown` is the text for tables and the CSV ("12", "0", "< 5" or "withheld");
    `bar` is the length a chart may draw: the count itself when it is 0 or at least
    SMALL, SMALL for a small count (drawn hatched), None for a withheld one.
    """

    key: str
    label: str
    shown: str
    bar: int | None
    small: bool = False
    withheld: bool = False


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    caption: str
    group: str  # what a row is: a month, a region...
    figures: list[Figure]
    total: Figure

    @property
    def suppressed(self) -> bool:
        return any(f.small or f.withheld for f in self.figures)


@dataclass(frozen=True)
class Statistics:
    period: Period | None  # None: no report and no case yet, and no period asked for
    reports: list[Table]
    persons: list[Table]

    @property
    def tables(self) -> list[Table]:
        return self.reports + self.persons


def _is_small(count: int) -> bool:
    return 0 < count < SMALL


def suppress(counts: list[int]) -> tuple[list[bool], list[bool]]:
    """Which counts are shown as small, and which are withheld.

    A table's counts add up to its total, which is shown or can be worked out from
    another table. The hidden counts (small or withheld) must then not give any one of
    them back by subtraction: each small count is known to lie between 1 and 4, each
    withheld one between SMALL and the smallest count still shown, and together they
    make the total minus the shown counts. While one hidden count is pinned down by
    that, the smallest count still shown is withheld as well. If none is left, the
    small counts are withheld too, so that no hidden count says how small it is.
    """
    small = [_is_small(c) for c in counts]
    withheld = [False] * len(counts)
    if sum(counts) < SMALL:
        return small, withheld  # the total is itself shown as small
    while True:
        hidden = [i for i in range(len(counts)) if small[i] or withheld[i]]
        shown = sorted((c, i) for i, c in enumerate(counts) if c >= SMALL and not withheld[i])
        if not hidden:
            return small, withheld
        rest = sum(counts[i] for i in hidden)  # what a reader works out: total - shown
        cap = shown[0][0] if shown else rest
        bounds = [(1, SMALL - 1) if small[i] else (SMALL, cap) for i in hidden]
        if not _pinned(bounds, rest):
            return small, withheld
        if not shown:
            return [False] * len(counts), [small[i] or withheld[i] for i in range(len(counts))]
        withheld[shown[0][1]] = True


def _pinned(bounds: list[tuple[int, int]], total: int) -> bool:
    """Whether integers within `bounds` that add up to `total` leave any of them only
    one possible value."""
    low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
    return any(max(lo, total - (high - hi)) >= min(hi, total - (low - lo)) for lo, hi in bounds)


def _figure(key: str, label: str, count: int, small: bool, withheld: bool) -> Figure:
    if withheld:
        return Figure(key, label, withheld_label(), None, withheld=True)
    if small:
        return Figure(key, label, small_label(), SMALL, small=True)
    return Figure(key, label, str(count), count)


def _total(count: int) -> Figure:
    label = gettext("Total")
    return _figure("total", label, count, _is_small(count), False)


def _table(
    slug: str, title: str, caption: str, group: str, rows: Iterable[tuple[str, str, int]]
) -> Table:
    rows = list(rows)
    counts = [count for _key, _label, count in rows]
    small, withheld = suppress(counts)
    figures = [
        _figure(key, label, count, small[i], withheld[i])
        for i, (key, label, count) in enumerate(rows)
    ]
    return Table(slug, title, caption, group, figures, _total(sum(counts)))


REPORT_FIELDS = ("region", "language", "consent", "status")
PERSON_FIELDS = ("status", "verification")


def _counts(
    queryset: QuerySet[Any], fields: tuple[str, ...], **extra: Any
) -> dict[str, Counter[Any]]:
    """Counts by each field (and each `extra` expression) alone, from one scan: grouped by
    all of them together in SQL, then added up here one field at a time."""
    names = (*fields, *extra)
    counts: dict[str, Counter[Any]] = {name: Counter() for name in names}
    grouped = queryset.order_by().annotate(**extra).values(*names).annotate(n=Count("pk"))
    for row in grouped:
        for name in names:
            counts[name][row[name]] += row["n"]
    return counts


def _choices(
    counts: Mapping[str, int], names: Iterable[tuple[str, object]], other: str | None = None
) -> list[tuple[str, str, int]]:
    """Every named choice (zero where none), then any value outside them."""
    counts = dict(counts)
    rows = [(str(key), str(label), counts.pop(key, 0)) for key, label in names]
    for key in sorted(counts):
        rows.append((key, other if other is not None and not key else key, counts[key]))
    return rows


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def default_period(today: date) -> Period | None:
    """From the first report's or case's month to the latest, within MAX_MONTHS."""
    reports = Report.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
    cases = Person.objects.aggregate(first=Min("created_on"), last=Max("created_on"))
    firsts = [d for d in (reports["first"], cases["first"]) if d]
    lasts = [d for d in (reports["last"], cases["last"]) if d]
    if not firsts:
        return None
    last = Month.of(max(*lasts, today))
    first = Month.of(min(firsts))
    if first.months_to(last) > MAX_MONTHS:
        first = last.minus(MAX_MONTHS - 1)
    return Period(first, last)


def compute(period: Period | None) -> Statistics:
    """The figures for `period` (both months included), ready to show."""
    reports = Report.objects.all()
    persons = Person.objects.all()
    if period is not None:
        start, end = period.first.first_day(), period.last.next().first_day()
        reports = reports.filter(received_on__gte=start, received_on__lt=end)
        persons = persons.filter(created_on__gte=start, created_on__lt=end)

    by = _counts(reports, REPORT_FIELDS, month=TruncMonth("received_on"))
    person_by = _counts(persons, PERSON_FIELDS)
    monthly = {Month.of(day): count for day, count in by["month"].items()}
    months: list[tuple[str, str, int]] = []
    if period is not None:
        month = period.first
        while month <= period.last:
            months.append((month.iso(), month.name(), monthly.get(month, 0)))
            month = month.next()

    report_tables = [
        _table(
            "months",
            gettext("Reports per month"),
            gettext("Reports received in each month of the period."),
            gettext("Month"),
            months,
        ),
        _table(
            "regions",
            gettext("Reports by region"),
            gettext("Reports received in the period, by the region the reporter chose."),
            gettext("Region"),
            _choices(by["region"], Region.choices, other=gettext("Not given")),
        ),
        _table(
            "languages",
            gettext("Reports by language"),
            gettext("Reports received in the period, by the language of the form."),
            gettext("Language"),
            [(code, language_name(code), count) for code, count in sorted(by["language"].items())],
        ),
        _table(
            "consent",
            gettext("Reports by consent level"),
            gettext("Reports received in the period, by what the reporter allows."),
            gettext("Consent level"),
            _choices(by["consent"], CONSENT_NAMES.items()),
        ),
        _table(
            "report-status",
            gettext("Reports by status"),
            gettext("Reports received in the period, by their status today."),
            gettext("Status"),
            _choices(by["status"], Status.choices),
        ),
    ]
    person_tables = [
        _table(
            "case-status",
            gettext("Cases by status"),
            gettext("Cases opened in the period, by the missing person's status today."),
            gettext("Status"),
            _choices(person_by["status"], PersonStatus.choices),
        ),
        _table(
            "verification",
            gettext("Cases by verification"),
            gettext("Cases opened in the period, by how far they are verified today."),
            gettext("Verification"),
            _choices(person_by["verification"], Verification.choices),
        ),
    ]
    return Statistics(period, report_tables, person_tables)
