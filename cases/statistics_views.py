"""The statistics page and its CSV download, for coordinators only.

Both show the figures of cases.statistics as they are (small counts already shown as
"< 5"), and each opening is one audit entry that names no report.
"""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.access import StaffRequest, role_required
from accounts.models import Role
from audit import chain as audit
from audit.models import Action
from config.db_router import reads_from_replica

from . import charts, statistics
from .statistics import MAX_MONTHS, Month, Period

MONTH_FORMAT_ERROR = _("Write the month as year and month, for example 2027-04.")


class PeriodForm(forms.Form):
    """An optional range of months; either end may be left empty."""

    from_month = forms.CharField(label=_("From month"), required=False, max_length=7)
    to_month = forms.CharField(label=_("To month"), required=False, max_length=7)

    def _month(self, name: str) -> Month | None:
        value = self.cleaned_data.get(name, "")
        if not value:
            return None
        month = Month.parse(value)
        if month is None:
            raise forms.ValidationError(MONTH_FORMAT_ERROR, code="invalid")
        return month

    def clean_from_month(self) -> Month | None:
        return self._month("from_month")

    def clean_to_month(self) -> Month | None:
        return self._month("to_month")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from_month"), data.get("to_month")
        if first and last:
            if first > last:
                self.add_error(
                    "to_month",
                    _("The end month is before the start month. Choose a later end month."),
                )
            elif first.months_to(last) > MAX_MONTHS:
                self.add_error(
                    "to_month",
                    _(
                        "A period covers at most %(count)d months. Choose a closer end month "
                        "or a later start month."
                    )
                    % {"count": MAX_MONTHS},
                )
        return data

    def period(self) -> Period | None:
        """The period asked for, with an empty end taken from the data and today."""
        first: Month | None = self.cleaned_data.get("from_month")
        last: Month | None = self.cleaned_data.get("to_month")
        default = statistics.default_period(timezone.localdate())
        if first is None and last is None:
            return default
        today = Month.of(timezone.localdate())
        if last is None:
            assert first is not None  # one end at least is set here
            last = max(default.last if default else today, first)
            last = min(last, first.minus(-(MAX_MONTHS - 1)))
        if first is None:
            first = default.first if default and default.first <= last else last
            first = max(first, last.minus(MAX_MONTHS - 1))
        return Period(first, last)


def _charts(tables: list[statistics.Table]) -> list[tuple[statistics.Table, SafeString]]:
    rtl = get_language_bidi()
    description = gettext(
        "Bar chart. The table that follows gives the same figures. Counts from 1 to 4 "
        "are drawn hatched at the length of %(limit)d."
    ) % {"limit": statistics.SMALL}
    charted = []
    for table in tables:
        svg = charts.bar_chart(
            f"chart-{table.slug}", table.title, description, table.figures, rtl=rtl
        )
        # Every label and text in it is escaped by charts.bar_chart.
        charted.append((table, mark_safe(svg)))  # noqa: S308
    return charted


def _page(request: StaffRequest, form: PeriodForm, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "small": statistics.SMALL, "max_months": MAX_MONTHS}
    if form.is_valid():
        figures = statistics.compute(form.period())
        context.update(
            figures=figures,
            report_charts=_charts(figures.reports),
            person_charts=_charts(figures.persons),
        )
    return render(request, "cases/statistics.html", context, status=status)


@require_GET
@role_required(Role.COORDINATOR)
@reads_from_replica  # monthly figures; the audit entry still goes to the primary
def statistics_page(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    audit.record(audit.staff_actor(request.user), Action.STATISTICS_VIEWED)
    return _page(request, form)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula is prefixed."""
    cell = str(value)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@role_required(Role.COORDINATOR)
@reads_from_replica
def statistics_csv(request: StaffRequest) -> HttpResponse:
    """All the figures since the first report (up to MAX_MONTHS), whatever period the
    page shows: a file
    for one period and another for an overlapping one could be subtracted from each
    other to find a count that each shows only as "< 5", and a file leaves the
    organisation. One fixed table set has no such pair."""
    period = statistics.default_period(timezone.localdate())
    figures = statistics.compute(period)
    audit.record(audit.staff_actor(request.user), Action.STATISTICS_DOWNLOADED)
    writer = csv.writer(_Echo())
    lines = [
        writer.writerow([csv_cell(gettext("Table")), csv_cell(gettext("Row")), gettext("Count")])
    ]
    if period is not None:
        lines.append(
            writer.writerow([csv_cell(gettext("Period")), csv_cell(period.describe()), ""])
        )
    for table in figures.tables:
        for figure in [*table.figures, table.total]:
            lines.append(
                writer.writerow(
                    [csv_cell(table.title), csv_cell(figure.label), csv_cell(figure.shown)]
                )
            )
    # A byte order mark, so that spreadsheets read the labels as UTF-8.
    response = HttpResponse("\ufeff" + "".join(lines), content_type="text/csv; charset=utf-8")
    name = f"statistics-{period.first.iso()}-to-{period.last.iso()}" if period else "statistics"
    response["Content-Disposition"] = f'attachment; filename="amanat-{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response
