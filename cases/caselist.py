"""The cases list: the persons a staff member holds a key for, filtered by clear
workflow fields (status, caseworker), newest case first. Names are decrypted for the
rows of the page only, each with the staff member's own wrapping of the person's key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

import crypto
from accounts import keyring
from accounts.models import Reason, Staff
from audit import chain as audit
from audit.models import Action

from . import persons
from .models import Person, PersonKey, PersonStatus, StatusEvent, Verification
from .workspace import CLOSED_STATUSES, OPEN

PAGE_SIZE = 50


@dataclass
class CaseRow:
    person: Person
    name: str
    script: str
    status: str  # in words
    verification: str
    caseworkers: list[str]
    last_on: date | None
    last_precision: str


@dataclass
class CasePage:
    rows: list[CaseRow]
    total: int  # matching the filters, on every page
    page: int
    pages: int
    older: int | None  # the cursor of the next page: the last case number shown


def held(staff: Staff) -> QuerySet[Person]:
    """The persons this staff member holds a key for."""
    mine = PersonKey.objects.filter(person=OuterRef("pk"), holder_id=staff.holder_id)
    return Person.objects.filter(Exists(mine))


def caseworkers(staff: Staff) -> QuerySet[Staff]:
    """The staff assigned to any of the persons this staff member holds, and the staff
    member themselves (the home page's "my open cases" filters on them even before a
    first assignment): the choices of the caseworker filter."""
    assigned = PersonKey.objects.filter(reason=Reason.ASSIGNED, person__in=held(staff))
    return Staff.objects.filter(
        Q(holder_id__in=assigned.values("holder_id")) | Q(pk=staff.pk)
    ).order_by("username")


def _filtered(staff: Staff, status: str, caseworker: Staff | None) -> QuerySet[Person]:
    found = held(staff)
    if status == OPEN:
        found = found.exclude(status__in=CLOSED_STATUSES)
    elif status:
        found = found.filter(status=status)
    if caseworker is not None:
        theirs = PersonKey.objects.filter(
            person=OuterRef("pk"), holder_id=caseworker.holder_id, reason=Reason.ASSIGNED
        )
        found = found.filter(Exists(theirs))
    return found


def cases(
    staff: Staff,
    private_key: crypto.PrivateKey,
    status: str = "",
    caseworker: Staff | None = None,
    before: int | None = None,
) -> CasePage:
    """One page of the list (keyset on the case number: a page deep in the list costs
    what the first does), with the total and the page's place among all pages. One
    audit entry names the persons shown (it keeps the day only)."""
    found = _filtered(staff, status, caseworker)
    total = found.count()
    ahead = found.filter(number__gte=before).count() if before else 0
    page_query = found.filter(number__lt=before) if before else found
    latest = StatusEvent.objects.filter(person=OuterRef("pk")).order_by("-on", "-created_at")
    people = list(
        page_query.annotate(
            last_on=Subquery(latest.values("on")[:1]),
            last_precision=Subquery(latest.values("precision")[:1]),
        ).order_by("-number")[: PAGE_SIZE + 1]
    )
    more = len(people) > PAGE_SIZE
    people = people[:PAGE_SIZE]
    ids = [person.id for person in people]
    wraps = {
        row.person_id: row
        for row in PersonKey.objects.filter(person_id__in=ids, holder_id=staff.holder_id)
    }
    assigned: dict[Any, list[str]] = {}
    for person_id, username in (
        PersonKey.objects.filter(person_id__in=ids, reason=Reason.ASSIGNED)
        .order_by("holder__staff__username")
        .values_list("person_id", "holder__staff__username")
    ):
        if username:  # the recovery key holds no assignment, but stay safe
            assigned.setdefault(person_id, []).append(username)
    # Labels looked up once here: a model's get_<field>_display rebuilds the choices on
    # every call, which costs more than the rest of the row.
    statuses, verifications = dict(PersonStatus.choices), dict(Verification.choices)
    rows = []
    for person in people:
        key = keyring.unwrap(wraps[person.id], private_key)
        opened = persons.OpenPerson(person=person, key=key)
        name = persons.name(opened)
        rows.append(
            CaseRow(
                person=person,
                name=name.get("name", ""),
                script=name.get("script", ""),
                status=str(statuses.get(person.status, person.status)),
                verification=str(verifications.get(person.verification, person.verification)),
                caseworkers=assigned.get(person.id, []),
                last_on=getattr(person, "last_on", None),
                last_precision=getattr(person, "last_precision", None) or "day",
            )
        )
    if ids:
        audit.record_listing(audit.staff_actor(staff), Action.CASES_LISTED, ids)
    pages = max(1, -(-total // PAGE_SIZE))
    return CasePage(
        rows=rows,
        total=total,
        page=ahead // PAGE_SIZE + 1,
        pages=pages,
        older=people[-1].number if more else None,
    )
