"""The staff inbox: a work queue over the reports a staff member holds.

Filters, sorts, counts and search use the clear workflow fields only (status,
language, region, consent level, the reporter-replied day, the case number and the
assignment, which is the reason on a wrapping); nothing sealed is filtered or
counted. Names are decrypted for the rows of the page shown, with the staff
member's own wrappings, as before.

Pages are keyset pages: the next page starts after the last row shown, so a page
deep in 100,000 reports costs what the first one does. On PostgreSQL the page's ids
and the counts come from covering indexes (the indexes of intake.models.Report).
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Count as CountOf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import crypto
from accounts.models import KeyHolder, Reason, Staff
from audit import chain as audit
from audit.models import Action
from intake import sealing
from intake.models import Consent, Region, Report, ReportKey, Status

from . import services
from .models import PersonReport

T = TypeVar("T")
PAGE_SIZE = 50
MAX_CASE_NUMBER = 2_147_483_647  # the largest case number the database can hold
MIN_PREFIX = 4  # hex characters of a report id, at least
BIG_HOLDING = 5000  # reports held, from which the counts are cached for a little while
COUNTS_FRESH_FOR = 30  # seconds
SEARCH_LIMIT = 1000  # reports an id prefix may name, held or not, before the holder's own


class Sort:
    RECEIVED = "received"
    ACTIVITY = "activity"
    CHOICES = (
        (RECEIVED, pgettext_lazy("inbox sort", "Received, newest first")),
        (ACTIVITY, pgettext_lazy("inbox sort", "Last activity, most recent first")),
    )
    FIELD = {RECEIVED: "received_on", ACTIVITY: "active_on"}


# Short names for the consent levels: the reporter's own wording is a sentence.
CONSENT_SHORT = {
    Consent.INTERNAL: _("Organisation only"),
    Consent.UN_CONFIDENTIAL: _("UN, reporter confidential"),
    Consent.UN_NAMED: _("UN, reporter named"),
    Consent.PARTNERS: _("Partners, without names"),
    Consent.PUBLISH_NAME: _("Name may be published"),
    Consent.PUBLIC: _("Full public use"),
}
ASSIGNED_CHOICES = (("me", _("Assigned to me")), ("none", _("Not assigned to anyone")))
REPLIED_CHOICES = (("1", _("Reporter replied, not yet read")),)

# Every filter is a whitelist: these are its only values.
CHOICES: dict[str, tuple[tuple[str, object], ...]] = {
    "status": tuple(Status.choices),
    "language": tuple(settings.LANGUAGES),
    "region": tuple(Region.choices),
    "consent": tuple(CONSENT_SHORT.items()),
    "assigned": ASSIGNED_CHOICES,
    "replied": REPLIED_CHOICES,
}
FILTERS = tuple(CHOICES)


@dataclass(frozen=True)
class Search:
    """What the search box asked for: a case number or a report id prefix."""

    number: int | None = None
    prefix: str = ""

    def __bool__(self) -> bool:
        return self.number is not None or bool(self.prefix)


class BadSearch(ValueError):
    pass


def parse_search(text: str) -> Search:
    """ "#42": case 42. "42": case 42, and with 4 digits or more, also the reports whose
    id starts with them. Four or more hex characters: a report id prefix."""
    text = text.strip()
    if not text:
        return Search()
    number = re.fullmatch(r"(#?)\s*(\d+)", text)
    if number and len(number.group(2)) <= 10 and 1 <= int(number.group(2)) <= MAX_CASE_NUMBER:
        digits = number.group(2)
        also = digits if not number.group(1) and len(digits) >= MIN_PREFIX else ""
        return Search(number=int(digits), prefix=also)
    if number and number.group(1):
        raise BadSearch(
            _("Case numbers run from 1 to %(max)d. Check the number.") % {"max": MAX_CASE_NUMBER}
        )
    prefix = text.lower().replace("-", "")
    if re.fullmatch(rf"[0-9a-f]{{{MIN_PREFIX},32}}", prefix):
        return Search(prefix=prefix)
    raise BadSearch(
        _(
            "Search by case number (42 or #42) or by the first %(count)d or more characters "
            "of a report id (0-9 and a-f). Search by name is not available."
        )
        % {"count": MIN_PREFIX}
    )


@dataclass(frozen=True)
class Query:
    """The inbox as asked for: filters (valid values only), sort, search and page."""

    filters: dict[str, str] = field(default_factory=dict)
    sort: str = Sort.RECEIVED
    search: Search = Search()
    before: str = ""  # cursor: the page after this row
    after: str = ""  # cursor: the page before this row
    page: int = 1


@dataclass
class Row:
    report: Report
    name: str
    script: str
    case_number: int | None
    person_id: uuid.UUID | None
    assignees: list[str]
    labels: dict[str, str]  # status, language, region and consent in words


@dataclass
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int
    older: str  # cursor of the next (older) page, or ""
    newer: str  # cursor of the previous (newer) page, or ""
    counts: dict[str, dict[str, int]]


def _cursor(report_id: uuid.UUID, day: datetime.date) -> str:
    return f"{day.isoformat()}_{report_id.hex}"


def _parse_cursor(cursor: str) -> tuple[datetime.date, uuid.UUID] | None:
    try:
        day, report_id = cursor.split("_")
        return datetime.date.fromisoformat(day), uuid.UUID(hex=report_id)
    except ValueError:
        return None


def _assigned_to_anyone() -> Exists:
    return Exists(
        ReportKey.objects.filter(
            report_id=OuterRef("report_id"),
            reason=Reason.ASSIGNED,
            holder__kind=KeyHolder.Kind.STAFF,
        )
    )


def _search_q(search: Search) -> Q:
    """On ReportKey rows: the reports the search names. Their ids are looked up first
    (the case's links, a range of the primary key), each through its own index, so
    that a search for both a case and a prefix is not one OR over the whole join."""
    if not search:
        return Q()
    ids: list[uuid.UUID] = []
    if search.number is not None:
        links = PersonReport.objects.filter(person__number=search.number)
        ids += links.values_list("report_id", flat=True)
        # A merged case's number finds the case it was merged into (cases.merging).
        merged = PersonReport.objects.filter(person__merged_numbers__number=search.number)
        ids += merged.values_list("report_id", flat=True)
    if search.prefix:
        low = uuid.UUID(hex=search.prefix.ljust(32, "0"))
        high = uuid.UUID(hex=search.prefix.ljust(32, "f"))
        found = Report.objects.filter(id__gte=low, id__lte=high).order_by("id")
        ids += found.values_list("id", flat=True)[:SEARCH_LIMIT]
    return Q(report_id__in=ids)


def _held(staff: Staff, query: Query) -> QuerySet[ReportKey]:
    """The staff member's wrappings of the reports the search names (all, without one)."""
    return ReportKey.objects.filter(Q(holder_id=staff.holder_id) & _search_q(query.search))


def _filter_q(name: str, value: str) -> Q:
    """One filter on ReportKey rows (the staff member's own)."""
    if name == "assigned":
        return Q(reason=Reason.ASSIGNED) if value == "me" else ~Q(_assigned_to_anyone())
    if name == "replied":
        return Q(report__replied_on__isnull=False)
    return Q(**{f"report__{name}": value})


# The facts each report is counted by, one grouped query per inbox view.
_FACTS = ("status", "language", "region", "consent", "mine", "anyone", "replied")


def _combinations(staff: Staff, query: Query, many: bool = False) -> list[tuple]:
    """(status, language, region, consent, assigned to me, assigned to anyone,
    replied, how many) for the staff member's reports, grouped in SQL."""
    rows = (
        _held(staff, query)
        .annotate(
            mine=Case(When(reason=Reason.ASSIGNED, then=Value(True)), default=Value(False)),
            anyone=_assigned_to_anyone(),
            replied=Case(
                When(report__replied_on__isnull=False, then=Value(True)), default=Value(False)
            ),
        )
        .values_list(
            "report__status",
            "report__language",
            "report__region",
            "report__consent",
            "mine",
            "anyone",
            "replied",
        )
        .annotate(n=CountOf("*"))
        .order_by()
    )
    if not many or connection.vendor != "postgresql":
        return [tuple(row) for row in rows]
    with transaction.atomic():
        # A grouped scan of many rows looks costly to the planner, which would then
        # spend far longer compiling it (JIT) than running it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        return [tuple(row) for row in rows]


def _holds_many(staff: Staff) -> bool:
    """Whether the staff member holds BIG_HOLDING reports or more (read from the index)."""
    rows = ReportKey.objects.filter(holder_id=staff.holder_id).order_by()
    return bool(list(rows.values_list("report_id", flat=True)[BIG_HOLDING - 1 : BIG_HOLDING]))


def _value_of(name: str, facts: dict[str, object]) -> str | None:
    """The option of filter `name` this combination counts for (None: no option)."""
    if name == "assigned":
        if facts["mine"]:
            return "me"
        return None if facts["anyone"] else "none"
    if name == "replied":
        return "1" if facts["replied"] else None
    return str(facts[name])


Tally = list[tuple[tuple[str | None, ...], int]]  # (option per filter, how many)


def _tally(staff: Staff, query: Query, many: bool = False) -> Tally:
    """For each combination of filter options among the staff member's reports, how
    many reports have it."""
    tally: Tally = []
    for *values, n in _combinations(staff, query, many):
        facts = dict(zip(_FACTS, values, strict=True))
        tally.append((tuple(_value_of(name, facts) for name in FILTERS), n))
    return tally


def _cached(key: str, make: Callable[[], T]) -> T:
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - any cache failure: compute without it
        value = None
    if value is None:
        value = make()
        try:
            cache.set(key, value, COUNTS_FRESH_FOR)
        except Exception:  # noqa: BLE001, S110 - any cache failure: the next view computes
            pass
    return value


def count(staff: Staff, query: Query) -> tuple[int, dict[str, dict[str, int]]]:
    """How many reports match the query, and for each filter option, how many would
    match with that option chosen instead (the other filters kept).

    For a holding of BIG_HOLDING reports or more, counting them all on each view would
    cost more than the page itself, so the tally and the counts for each choice of
    filters are kept in the cache for COUNTS_FRESH_FOR seconds, per holder (counts of
    clear workflow fields only, nothing sealed). Smaller holdings, and searches, are
    counted on each view."""
    if query.search or not _holds_many(staff):
        return _count(_tally(staff, query), query)
    holder = staff.holder_id.hex
    chosen = ",".join(f"{name}={value}" for name, value in sorted(query.filters.items()))
    return _cached(
        f"inbox-counts:{holder}:{chosen}",
        lambda: _count(_cached(f"inbox-tally:{holder}", lambda: _tally(staff, query, True)), query),
    )


def _count(tally: Tally, query: Query) -> tuple[int, dict[str, dict[str, int]]]:
    active = [(FILTERS.index(name), value) for name, value in query.filters.items()]
    counts: list[Counter[str]] = [Counter() for _name in FILTERS]
    total = 0
    for options, n in tally:
        missed = -1
        for index, value in active:
            if options[index] != value:
                if missed >= 0:
                    break  # misses two filters: counts nowhere
                missed = index
        else:
            if missed < 0:
                total += n
                for index, option in enumerate(options):
                    if option is not None:
                        counts[index][option] += n
            elif options[missed] is not None:
                counts[missed][options[missed]] += n  # type: ignore[index]
    return total, {name: dict(counts[index]) for index, name in enumerate(FILTERS)}


def _page_ids(staff: Staff, query: Query) -> tuple[list[tuple[uuid.UUID, datetime.date]], bool]:
    """The ids (and order days) of one page, from the indexes; and whether there is more
    in the direction read."""
    day_field = Sort.FIELD[query.sort]
    rows = _held(staff, query)
    for name, value in query.filters.items():
        rows = rows.filter(_filter_q(name, value))
    backwards = bool(query.after) and not query.before
    cursor = _parse_cursor(query.before or query.after)
    if cursor:
        day, report_id = cursor
        if backwards:
            rows = rows.filter(
                Q(**{f"report__{day_field}__gt": day})
                | Q(**{f"report__{day_field}": day, "report_id__gt": report_id})
            )
        else:
            rows = rows.filter(
                Q(**{f"report__{day_field}__lt": day})
                | Q(**{f"report__{day_field}": day, "report_id__lt": report_id})
            )
    sign = "" if backwards else "-"
    ids = list(
        rows.order_by(f"{sign}report__{day_field}", f"{sign}report_id").values_list(
            "report_id", f"report__{day_field}"
        )[: PAGE_SIZE + 1]
    )
    more = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    return (ids[::-1] if backwards else ids), more


def _labels(report: Report, words: dict[str, dict[str, str]]) -> dict[str, str]:
    return {
        name: words[name].get(getattr(report, name), getattr(report, name)) or "—"
        for name in ("status", "language", "region", "consent")
    }


def page(staff: Staff, private_key: crypto.PrivateKey, query: Query) -> Page:
    """One page of the staff member's reports as asked, names decrypted for its rows
    only, with the counts. Recorded in the audit log as one inbox view (a day only)."""
    total, counts = count(staff, query)
    ids, more = _page_ids(staff, query)
    backwards = bool(query.after) and not query.before
    report_ids = [report_id for report_id, _day in ids]
    reports = Report.objects.defer("reporter_public_key", "reporter_key").in_bulk(report_ids)
    wraps = {
        row.report_id: row
        for row in ReportKey.objects.filter(report_id__in=report_ids, holder_id=staff.holder_id)
    }
    cases = {
        link.report_id: link
        for link in PersonReport.objects.filter(report_id__in=report_ids).select_related("person")
    }
    assignees: dict[uuid.UUID, list[str]] = {}
    for report_id, login in (
        ReportKey.objects.filter(
            report_id__in=report_ids,
            reason=Reason.ASSIGNED,
            holder__kind=KeyHolder.Kind.STAFF,
        )
        .order_by("holder__staff__username")
        .values_list("report_id", "holder__staff__username")
    ):
        assignees.setdefault(report_id, []).append(login)
    words = {name: {value: str(label) for value, label in CHOICES[name]} for name in CHOICES}
    rows = []
    for report_id in report_ids:
        report = reports[report_id]
        opened = sealing.OpenReport(
            report=report, dek=services._unwrap(wraps[report_id], private_key)
        )
        name, script = services.display_name(services.content(opened))
        link = cases.get(report_id)
        rows.append(
            Row(
                report=report,
                name=name,
                script=script,
                case_number=link.person.number if link else None,
                person_id=link.person_id if link else None,
                assignees=assignees.get(report_id, []),
                labels=_labels(report, words),
            )
        )
    if report_ids:  # one entry per page listed; the same page again today adds none
        audit.record_listing(audit.staff_actor(staff), Action.INBOX_VIEWED, report_ids)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(query.page, 1), pages)
    if not (query.before or query.after):
        number = 1
    first, last = ids[:1], ids[-1:]
    older = _cursor(*last[0]) if last and (more or backwards) else ""
    newer = _cursor(*first[0]) if first and ((more and backwards) or query.before) else ""
    return Page(rows, total, number, pages, older, newer, counts)


LABELS = {
    "status": _("Status"),
    "language": _("Language"),
    "region": _("Region"),
    "consent": _("Consent"),
    "assigned": _("Assignment"),
    "replied": _("Reporter replied"),
    "sort": _("Sort"),
}
MAX_PAGE = 1_000_000


def parse(params: dict[str, str]) -> tuple[Query, dict[str, str]]:
    """The inbox query from GET parameters, and an error per parameter left out (by
    name). Unknown values are never used: each filter is a whitelist."""
    errors: dict[str, str] = {}
    filters = {}
    for name in FILTERS:
        value = params.get(name, "").strip()
        if not value:
            continue
        if value in dict(CHOICES[name]):
            filters[name] = value
        else:
            errors[name] = _(
                "%(field)s: there is no option “%(value)s”, so this filter was left out. "
                "Choose one of the options in the list."
            ) % {"field": LABELS[name], "value": value[:40]}
    sort = params.get("sort", "").strip() or Sort.RECEIVED
    if sort not in Sort.FIELD:
        errors["sort"] = _(
            "Sort: there is no order “%(value)s”; the reports are shown newest first."
        ) % {"value": sort[:40]}
        sort = Sort.RECEIVED
    try:
        search = parse_search(params.get("q", "")[:100])
    except BadSearch as exc:
        errors["q"] = str(exc)
        search = Search()
    try:
        number = int(params.get("page", "1"))
    except ValueError:
        number = 1
    return (
        Query(
            filters=filters,
            sort=sort,
            search=search,
            before=params.get("before", "")[:80],
            after=params.get("after", "")[:80],
            page=min(max(number, 1), MAX_PAGE),
        ),
        errors,
    )
