"""Correcting triage: two cases that are one person are merged, and a report linked to
the wrong person is unlinked.

Merging (`merge`) keeps the survivor and removes the merged person: its reports,
timeline and notes move to the survivor, and what was sealed under the merged
person's key (status sources, notes, its name) is opened and sealed again under the
survivor's key with the survivor's associated data. Everyone who held either case
holds every key of both afterwards (case_keys.share); the merged person's key goes
with its row. Its case number is kept in MergedNumber, never given out again, and
its page and number lead to the survivor. One transaction: a failure anywhere leaves
both cases as they were. The survivor's identity and buckets are recomputed in the
same transaction (cases.duplicates.index_for); a staff member without the index key
writes no buckets (every role that may merge holds it), and `manage.py
rebuild_buckets`, with a threshold of the recovery shares, recomputes them.

Unlinking (`unlink`) takes one report out of a person; it goes back to the inbox
untriaged. Keys, the rule for least access with the least surprise:

- the report's key stays with the intake team (who hold every untriaged report, and
  must triage it again) and with the staff member who unlinks it; it is taken from
  every other holder of the person: a caseworker of the person got it only because
  of the wrong link (and their notices about it go, as they would lead to a 404).
  A caseworker assigned to the report itself before the link loses it as well, since
  nothing records through which case a key came: intake assigns it again.
- the person's keys, and its other reports' keys, stay with everyone who holds them.
  Someone who came to the person only through the wrong report keeps it; a
  coordinator takes it back from the staff page if it should go.

The last report of a person cannot be unlinked: a person with no report would have
nobody's report behind it. Merge the person into the right case instead.
"""

from __future__ import annotations

import json
import uuid

from django.db import transaction

import crypto
from accounts.models import Notification, Reason, Staff
from audit import chain as audit
from audit.models import Action
from intake.models import Report, ReportKey

from . import case_keys, duplicates, persons, services
from .models import (
    MergedNumber,
    Note,
    Person,
    PersonKey,
    PersonReport,
    StatusEvent,
    Verification,
)

# Stronger verification wins when two cases become one.
_VERIFIED: dict[str, int] = {
    Verification.UNVERIFIED: 0,
    Verification.PARTLY: 1,
    Verification.CONFIRMED: 2,
}


class SameCase(Exception):
    """A case cannot be merged into itself."""


class LastReport(Exception):
    """The report is the person's only one."""


class NotLinked(Exception):
    """The report does not belong to this person."""


def survivor_of(person_id: uuid.UUID) -> uuid.UUID | None:
    """The person a merged person's id leads to, or None."""
    row = MergedNumber.objects.filter(merged_id=person_id).values_list("survivor_id").first()
    return row[0] if row else None


def leads_to(staff: Staff, person_id: uuid.UUID) -> uuid.UUID | None:
    """Where a merged person's page leads this staff member: the survivor, if they can
    open it (otherwise None, and the page is a 404 as for any case)."""
    survivor = survivor_of(person_id)
    if (
        survivor is None
        or not PersonKey.objects.filter(person_id=survivor, holder_id=staff.holder_id).exists()
    ):
        return None
    return survivor


def _reseal(
    old: persons.OpenPerson, new: persons.OpenPerson, part: str, row: object, sealed: bytes
) -> bytes:
    plain = crypto.open_(old.key, sealed, persons.aad(old.person.id, part, row))
    return crypto.seal(new.key, plain, persons.aad(new.person.id, part, row))


def _names(survivor: persons.OpenPerson, merged: persons.OpenPerson) -> bytes:
    """The survivor's name, with the merged person's names kept as other names."""
    kept, gone = persons.name(survivor), persons.name(merged)
    others = list(kept.get("others", []))
    for entry in [
        {"name": gone["name"], "script": gone.get("script", "")},
        *gone.get("others", []),
    ]:
        if entry not in others and entry["name"] != kept["name"]:
            others.append(entry)
    data = {**kept, "others": others}
    return crypto.seal(
        survivor.key, json.dumps(data).encode(), persons.aad(survivor.person.id, "name")
    )


def _lock(person_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Lock the persons' reports, then the persons (the order case_keys.lock takes),
    each in id order so two merges cannot wait for each other. Returns the report ids."""
    report_ids = sorted(
        PersonReport.objects.filter(person_id__in=person_ids).values_list("report_id", flat=True)
    )
    locked = Report.objects.select_for_update(no_key=True).filter(id__in=report_ids)
    list(locked.order_by("id").values_list("id"))
    rows = Person.objects.select_for_update(no_key=True).filter(id__in=person_ids)
    found = list(rows.order_by("id").values_list("id", flat=True))
    if len(found) != len(set(person_ids)):
        raise services.NoAccess("the case is gone (merged meanwhile)")
    return report_ids


def merge(
    staff: Staff, private_key: crypto.PrivateKey, survivor_id: uuid.UUID, merged_id: uuid.UUID
) -> Person:
    """Merge `merged_id` into `survivor_id` (see the module's docstring). Raises
    services.NoAccess when the staff member cannot open both, SameCase for one case."""
    if survivor_id == merged_id:
        raise SameCase("a case cannot be merged into itself")
    survivor = persons.open_person(staff, private_key, survivor_id, record=False)
    merged = persons.open_person(staff, private_key, merged_id, record=False)
    with transaction.atomic():
        report_ids = _lock([survivor_id, merged_id])
        # Re-read under the lock: the rows may have changed since they were opened.
        survivor.person = Person.objects.get(id=survivor_id)
        merged.person = Person.objects.get(id=merged_id)
        their_holders = dict(
            PersonKey.objects.filter(person_id=merged_id).values_list("holder_id", "reason")
        )
        for event in StatusEvent.objects.filter(person_id=merged_id):
            event.sealed_source = _reseal(
                merged, survivor, "status", event.id, bytes(event.sealed_source)
            )
            event.person_id = survivor_id
            event.save(update_fields=["sealed_source", "person"])
        for note in Note.objects.filter(person_id=merged_id):
            note.sealed_body = _reseal(merged, survivor, "note", note.id, bytes(note.sealed_body))
            note.person_id = survivor_id
            note.save(update_fields=["sealed_body", "person"])
        PersonReport.objects.filter(person_id=merged_id).update(person_id=survivor_id)
        latest = StatusEvent.objects.filter(person_id=survivor_id).order_by("-on", "-created_at")
        verification = max(
            survivor.person.verification, merged.person.verification, key=_VERIFIED.__getitem__
        )
        Person.objects.filter(id=survivor_id).update(
            sealed_name=_names(survivor, merged),
            verification=verification,
            status=latest.values_list("status", flat=True).first() or survivor.person.status,
        )
        # Older merges into the merged person now lead to the survivor.
        MergedNumber.objects.filter(survivor_id=merged_id).update(survivor_id=survivor_id)
        number = merged.person.number
        Person.objects.filter(id=merged_id).delete()  # its keys and buckets with it
        MergedNumber.objects.create(number=number, merged_id=merged_id, survivor_id=survivor_id)
        # The merged person's holders, with their reasons, and every holder of any of
        # the reports (now all the survivor's) get every key of the one case.
        case_keys.share(
            staff.holder,
            private_key,
            report_ids[0],
            to=their_holders,
            known={(PersonKey, survivor_id): survivor.key},
        )
        audit.record(audit.staff_actor(staff), Action.PERSON_MERGED, [survivor_id, merged_id])
        duplicates.index_for(staff, private_key, survivor_id)
    return Person.objects.get(id=survivor_id)


def unlink(
    staff: Staff, private_key: crypto.PrivateKey, person_id: uuid.UUID, report_id: uuid.UUID
) -> Person:
    """Take a report out of a person (see the module's docstring). Raises
    services.NoAccess when the staff member cannot open the person, NotLinked when the
    report is not the person's, LastReport for the person's only report."""
    opened = persons.open_person(staff, private_key, person_id, record=False)
    with transaction.atomic():
        case = case_keys.lock(report_id)
        if case.person_id != person_id:
            raise NotLinked("this report does not belong to this case")
        if len(case.report_ids) == 1:
            raise LastReport("the last report of a case cannot be unlinked")
        PersonReport.objects.filter(report_id=report_id, person_id=person_id).delete()
        person_holders = PersonKey.objects.filter(person_id=person_id).values("holder_id")
        losing = (
            ReportKey.objects.filter(report_id=report_id, holder_id__in=person_holders)
            .exclude(reason__in=[Reason.INTAKE, Reason.ROLE])
            .exclude(holder_id=staff.holder_id)
        )
        lost = list(losing.values_list("holder_id", flat=True))
        losing.delete()
        # Their notices about the report would lead to a page they can no longer open.
        Notification.objects.filter(staff__holder_id__in=lost, subject=report_id).delete()
        audit.record(audit.staff_actor(staff), Action.REPORT_UNLINKED, [person_id, report_id])
        duplicates.index_for(staff, private_key, person_id)
    return opened.person
