"""The caseworker's day around the lists: the counts on the staff home, and notices
that stay unread until what they point to is opened. Counts come from clear workflow
fields and wrapping rows only; nothing is decrypted here."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from accounts.home import HomeCount
from accounts.models import Notification, Reason, Role, Staff
from intake.models import ReportKey, Status

from .models import Person, PersonKey

# Statuses that end a case; a person in any other status is an open case.
CLOSED_STATUSES = frozenset({"closed", "found"})
OPEN = "open"  # the cases list's filter for "any status but a closed one"


def new_reports(staff: Staff) -> int:
    """Reports this staff member holds that nobody has worked on yet."""
    return (
        ReportKey.objects.filter(holder_id=staff.holder_id, report__status=Status.RECEIVED)
        .values("report_id")
        .count()
    )


def unread_replies(staff: Staff) -> int:
    """Reports this staff member holds with a reporter's reply no holder has read yet."""
    return (
        ReportKey.objects.filter(holder_id=staff.holder_id, report__replied_on__isnull=False)
        .values("report_id")
        .count()
    )


def my_open_cases(staff: Staff) -> QuerySet[Person]:
    """Persons assigned to this staff member (a wrapping held as an assignment) whose
    case is not closed."""
    assigned = PersonKey.objects.filter(
        person=OuterRef("pk"), holder_id=staff.holder_id, reason=Reason.ASSIGNED
    )
    return Person.objects.filter(Exists(assigned)).exclude(status__in=CLOSED_STATUSES)


def home_counts(staff: Staff) -> list[HomeCount]:
    """New reports, unread replies and my open cases, each linking to the list it
    counts. Auditors hold no reports and get none."""
    if staff.role == Role.AUDITOR:
        return []
    inbox = reverse("cases:inbox")
    cases = reverse("cases:persons")
    mine = urlencode({"status": OPEN, "caseworker": str(staff.pk)})
    return [
        HomeCount(gettext("New reports"), new_reports(staff), f"{inbox}?status={Status.RECEIVED}"),
        HomeCount(gettext("Unread replies"), unread_replies(staff), f"{inbox}?replied=1"),
        HomeCount(gettext("My open cases"), my_open_cases(staff).count(), f"{cases}?{mine}"),
    ]


def report_seen(staff: Staff, report_id: uuid.UUID) -> int:
    """Mark this staff member's notices about a report read, if they hold it (called when
    they open it). Returns how many were marked."""
    holds = ReportKey.objects.filter(report_id=report_id, holder_id=staff.holder_id)
    return _mark_read(staff, report_id, holds)


def person_seen(staff: Staff, person_id: uuid.UUID) -> int:
    """Mark this staff member's notices about a case read, if they hold it."""
    holds = PersonKey.objects.filter(person_id=person_id, holder_id=staff.holder_id)
    return _mark_read(staff, person_id, holds)


def _mark_read(staff: Staff, subject: uuid.UUID, holds: QuerySet[Any]) -> int:
    """One UPDATE, guarded by the wrapping: nothing changes for what they cannot open."""
    unread = Notification.objects.filter(staff=staff, subject=subject, read=False)
    return unread.filter(Exists(holds)).update(read=True)
