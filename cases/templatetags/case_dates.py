"""A date known to the day, the month or the year, written as far as it is known."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def by_precision(value: date | None, precision: str = "day") -> str:
    """'2017', 'April 2017' or the full date, in the staff member's language."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")
