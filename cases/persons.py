"""Persons: triage creates one from a report, or links a report to one by case
number; caseworkers keep its status timeline and notes. Everything identifying is
sealed under the person's key, which is wrapped to everyone who holds a key of the
case (cases.case_keys): whoever can open one of the person's reports opens the person."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max

import crypto
from accounts import keyring
from accounts.models import Staff
from audit import chain as audit
from audit.models import Action
from intake.models import ReportKey

from . import case_keys, duplicates, services
from .models import (
    MergedNumber,
    Note,
    Person,
    PersonKey,
    PersonReport,
    PersonStatus,
    Precision,
    StatusEvent,
)

SCHEMA_VERSION = 1


def aad(person_id: uuid.UUID, part: str, row: object = "") -> bytes:
    return crypto.associated_data("cases.person", person_id.hex, part, str(row), SCHEMA_VERSION)


def key_info(person_id: uuid.UUID, holder_id: uuid.UUID) -> bytes:
    return PersonKey.info(person_id, holder_id)


@dataclass
class OpenPerson:
    person: Person
    key: bytes = field(repr=False)


class AlreadyLinked(Exception):
    """The report already belongs to a person."""


def open_person(
    staff: Staff, private_key: crypto.PrivateKey, person_id: uuid.UUID, record: bool = True
) -> OpenPerson:
    """The person with its key; `record=False` as for services.open_report."""
    row = (
        PersonKey.objects.select_related("person")
        .filter(person_id=person_id, holder_id=staff.holder_id)
        .first()
    )
    if row is None:
        raise services.NoAccess("no wrapping for this staff member")
    key = keyring.unwrap(row, private_key)
    if record:
        record_opening(staff, person_id)
    return OpenPerson(person=row.person, key=key)


def record_opening(staff: Staff, person_id: uuid.UUID) -> None:
    """A case's content was shown: once per staff member and day (as for reports)."""
    audit.record_view(audit.staff_actor(staff), Action.PERSON_OPENED, person_id)


def _next_number() -> int:
    # A merged case's number is never given out again (cases.merging).
    top = Person.objects.aggregate(top=Max("number"))["top"] or 0
    merged = MergedNumber.objects.aggregate(top=Max("number"))["top"] or 0
    return max(top, merged) + 1


def by_number(number: int) -> Person | None:
    """The person with this case number, or the one a merged case's number leads to."""
    person = Person.objects.filter(number=number).first()
    if person is None:
        merged = MergedNumber.objects.filter(number=number).select_related("survivor").first()
        person = merged.survivor if merged else None
    return person


def create_from_report(
    staff: Staff, private_key: crypto.PrivateKey, report_id: uuid.UUID, verification: str
) -> Person:
    """A new person from a report, readable by everyone who holds that report."""
    opened = services.open_report(staff, private_key, report_id, record=False)
    if PersonReport.objects.filter(report_id=report_id).exists():
        raise AlreadyLinked("this report already belongs to a person")
    name, script = services.display_name(services.content(opened))
    person_id, person_key = uuid.uuid4(), crypto.new_key()
    sealed = crypto.seal(
        person_key, json.dumps({"name": name, "script": script}).encode(), aad(person_id, "name")
    )
    known = {(PersonKey, person_id): person_key, (ReportKey, report_id): opened.dek}
    for _attempt in range(3):  # two triages at once may pick the same number
        try:
            with transaction.atomic():
                case_keys.lock(report_id)
                if PersonReport.objects.filter(report_id=report_id).exists():
                    raise AlreadyLinked("this report already belongs to a person")
                person = Person.objects.create(
                    id=person_id,
                    number=_next_number(),
                    verification=verification,
                    sealed_name=sealed,
                )
                PersonReport.objects.create(person=person, report_id=report_id)
                case_keys.share(staff.holder, private_key, report_id, known=known)
                audit.record(
                    audit.staff_actor(staff), Action.PERSON_CREATED, [person_id, report_id]
                )
                duplicates.index_for(staff, private_key, person_id)
            return person
        except IntegrityError:
            if PersonReport.objects.filter(report_id=report_id).exists():
                raise AlreadyLinked("this report already belongs to a person") from None
    raise IntegrityError("could not allocate a case number")


def link_report(
    staff: Staff, private_key: crypto.PrivateKey, report_id: uuid.UUID, number: int
) -> Person:
    """Link a report to an existing person (a duplicate), found by case number. The
    two cases become one: every holder of either gets every key of both."""
    opened = services.open_report(staff, private_key, report_id, record=False)
    person = by_number(number)
    if person is None:
        raise services.NoAccess("no such case number")
    # Only someone who can open the person links to it.
    person_key = open_person(staff, private_key, person.id, record=False).key
    known = {(PersonKey, person.id): person_key, (ReportKey, report_id): opened.dek}
    with transaction.atomic():
        case_keys.lock(report_id)
        if PersonReport.objects.filter(report_id=report_id).exists():
            raise AlreadyLinked("this report already belongs to a person")
        PersonReport.objects.create(person=person, report_id=report_id)
        case_keys.share(staff.holder, private_key, report_id, known=known)
        audit.record(audit.staff_actor(staff), Action.PERSON_LINKED, [person.id, report_id])
        duplicates.index_for(staff, private_key, person.id)
    return person


def name(opened: OpenPerson) -> dict:
    person = opened.person
    return json.loads(crypto.open_(opened.key, bytes(person.sealed_name), aad(person.id, "name")))


def record_status(
    staff: Staff,
    opened: OpenPerson,
    status: str,
    on: date,
    source: str,
    precision: str = Precision.DAY,
) -> StatusEvent:
    """A status on a date known to the day, the month (`on` is its first day) or the
    year (`on` is 1 January)."""
    if status not in PersonStatus.values:
        raise ValueError("unknown status")
    if precision not in Precision.values:
        raise ValueError("unknown precision")
    person = opened.person
    event_id = uuid.uuid4()
    with transaction.atomic():
        event = StatusEvent.objects.create(
            id=event_id,
            person=person,
            status=status,
            on=on,
            precision=precision,
            sealed_source=crypto.seal(
                opened.key, source.encode(), aad(person.id, "status", event_id)
            ),
            recorded_by=staff,
        )
        latest = person.timeline.order_by("-on", "-created_at").first()
        Person.objects.filter(pk=person.pk).update(status=latest.status)
        audit.record(audit.staff_actor(staff), Action.STATUS_RECORDED, [person.id, event_id])
    return event


def add_note(staff: Staff, opened: OpenPerson, text: str) -> Note:
    note_id = uuid.uuid4()
    with transaction.atomic():
        note = Note.objects.create(
            id=note_id,
            person=opened.person,
            author=staff,
            sealed_body=crypto.seal(
                opened.key, text.encode(), aad(opened.person.id, "note", note_id)
            ),
        )
        audit.record(audit.staff_actor(staff), Action.NOTE_ADDED, [opened.person.id, note_id])
    return note


@dataclass
class TimelineEntry:
    status: str
    on: date
    precision: str
    source: str
    recorded_by: str


@dataclass
class NoteEntry:
    author: str
    written: date
    text: str


def timeline(opened: OpenPerson) -> list[TimelineEntry]:
    person = opened.person
    return [
        TimelineEntry(
            status=PersonStatus(event.status).label,
            on=event.on,
            precision=event.precision,
            source=crypto.open_(
                opened.key, bytes(event.sealed_source), aad(person.id, "status", event.id)
            ).decode(),
            recorded_by=event.recorded_by.username,
        )
        for event in person.timeline.select_related("recorded_by")
    ]


def notes(opened: OpenPerson) -> list[NoteEntry]:
    person = opened.person
    return [
        NoteEntry(
            author=note.author.username,
            written=note.created_at.date(),
            text=crypto.open_(
                opened.key, bytes(note.sealed_body), aad(person.id, "note", note.id)
            ).decode(),
        )
        for note in person.notes.select_related("author")
    ]
