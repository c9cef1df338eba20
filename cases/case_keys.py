"""A case's keys travel together.

A case is a person and every report linked to it (a report not yet triaged is a case
of its own). The person page lists the person's reports and a report page links its
person, so whoever holds any key of a case needs every key of it: the person's key and
each report's. Assignment, triage, linking and recovery grants all go through `share`,
which keeps that true; revoking takes the whole case back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

import crypto
from accounts import keyring
from accounts.models import KeyHolder
from intake.models import Report, ReportKey

from .models import Person, PersonKey, PersonReport

Key = tuple[keyring.Kind, uuid.UUID]  # (kind of wrapped key, what it opens)


@dataclass(frozen=True)
class Case:
    report_ids: list[uuid.UUID]
    person_id: uuid.UUID | None

    def keys(self) -> list[Key]:
        keys: list[Key] = [(ReportKey, report_id) for report_id in self.report_ids]
        return keys + ([(PersonKey, self.person_id)] if self.person_id else [])

    def only(self) -> dict[keyring.Kind, Iterable[uuid.UUID] | None]:
        """The case's subjects by kind, as accounts.keyring.drop takes them."""
        return {ReportKey: self.report_ids, PersonKey: [self.person_id] if self.person_id else []}


def case_of(report_id: uuid.UUID) -> Case:
    person_id = (
        PersonReport.objects.filter(report_id=report_id).values_list("person_id", flat=True).first()
    )
    if person_id is None:
        return Case([report_id], None)
    reports = PersonReport.objects.filter(person_id=person_id).values_list("report_id", flat=True)
    return Case(sorted(reports), person_id)


def lock(report_id: uuid.UUID) -> Case:
    """The report's case, its rows locked (report first, then person) until the
    transaction ends, so two changes to one case cannot miss each other's holders."""
    # no_key: rows that merely point at the report or person (a message, a note) go on.
    list(Report.objects.select_for_update(no_key=True).filter(id=report_id).values_list("id"))
    case = case_of(report_id)
    if case.person_id is not None:
        person = Person.objects.select_for_update(no_key=True).filter(id=case.person_id)
        list(person.values_list("id"))
        case = case_of(report_id)  # again: a link committed while we waited belongs in it
    return case


def _holdings(case: Case) -> dict[Key, dict[uuid.UUID, str]]:
    held: dict[Key, dict[uuid.UUID, str]] = {key: {} for key in case.keys()}
    for kind, subjects in case.only().items():
        field = kind.subject_attname()
        rows = kind._default_manager.filter(**{f"{field}__in": subjects or []})
        for subject, holder_id, reason in rows.values_list(field, "holder_id", "reason"):
            held[(kind, subject)][holder_id] = reason
    return held


def share(
    granter: KeyHolder,
    granter_key: crypto.PrivateKey,
    report_id: uuid.UUID,
    to: dict[uuid.UUID, str] | None = None,
    known: dict[Key, bytes] | None = None,
) -> list[tuple[Key, uuid.UUID]]:
    """Make everyone who holds a key of report_id's case, and the holders in `to`
    (holder id: reason), hold every key of it, each with the strongest reason they
    have anywhere in the case. The granter opens the keys not already `known` with
    their own key; one they cannot open is left out. Returns the (key, holder id)
    pairs newly wrapped."""
    with transaction.atomic():
        case = lock(report_id)
        held = _holdings(case)
        best = dict(to or {})
        for holders in held.values():
            for holder_id, reason in holders.items():
                if holder_id not in best or keyring.stronger(reason, best[holder_id]):
                    best[holder_id] = reason
        opened = dict(known or {})
        public = KeyHolder.objects.in_bulk(list(best))
        granted = []
        for key in case.keys():
            kind, subject = key
            new = [(h, reason) for h, reason in best.items() if h not in held[key]]
            for holder_id, reason in best.items():
                if holder_id in held[key] and keyring.stronger(reason, held[key][holder_id]):
                    keyring.strengthen(kind, subject, holder_id, reason)
            if not new:
                continue
            if key not in opened:
                try:
                    opened[key] = keyring.open_key(kind, subject, granter.pk, granter_key)
                except keyring.NoAccess:
                    continue  # not the granter's to give
            keyring.grant_new(kind, subject, opened[key], [(public[h], r) for h, r in new])
            granted += [(key, h) for h, _reason in new]
    return granted


def take_back(holder_id: uuid.UUID, report_id: uuid.UUID) -> list[uuid.UUID]:
    """Drop the holder's wrappings of every key of report_id's case."""
    with transaction.atomic():
        return keyring.drop(holder_id, lock(report_id).only())
