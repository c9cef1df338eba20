"""Appending to the audit log and verifying its chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .models import Entry, Head

GENESIS = "0" * 64


def entry_hash(
    sequence: int, created_at: str, actor: str, action: str, subjects: list, previous: str
) -> str:
    canonical = json.dumps(
        [sequence, created_at, actor, action, subjects, previous],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _subjects(ids: Iterable[object]) -> list[str]:
    """Opaque ids only: UUIDs and integers, as strings."""
    out = []
    for value in ids:
        if isinstance(value, uuid.UUID):
            out.append(value.hex)
        elif isinstance(value, int):
            out.append(str(value))
        else:
            raise TypeError("audit subjects are opaque ids (UUID or int), never text")
    return out


def staff_actor(staff) -> str:
    return f"staff:{staff.pk}"


def record(actor: str, action: str, subjects: Iterable[object] = ()) -> Entry:
    """Append an entry. Runs in (or opens) a transaction with the change it records."""
    with transaction.atomic():
        head, _ = Head.objects.select_for_update().get_or_create(singleton=True)
        entry = Entry(
            sequence=head.sequence + 1,
            actor=actor,
            action=action,
            subjects=_subjects(subjects),
            previous_hash=head.hash,
        )
        entry.hash = entry_hash(
            entry.sequence,
            entry.created_at.isoformat(),
            actor,
            action,
            entry.subjects,
            head.hash,
        )
        entry.save()
        head.sequence, head.hash = entry.sequence, entry.hash
        head.save(update_fields=["sequence", "hash"])
    return entry


@dataclass
class Verdict:
    ok: bool
    count: int
    head: str
    broken_at: int | None = None
    reason: str = ""


def verify(entries: Iterable[Entry] | None = None) -> Verdict:
    """Walk the chain; report the first entry whose content, order or link is wrong."""
    previous, expected_sequence, count = GENESIS, 1, 0
    rows = entries if entries is not None else Entry.objects.order_by("sequence").iterator()
    for entry in rows:
        count += 1
        if entry.sequence != expected_sequence:
            reason = f"expected entry #{expected_sequence}, found #{entry.sequence}"
            return Verdict(False, count, previous, expected_sequence, reason)
        if entry.previous_hash != previous:
            return Verdict(
                False, count, previous, entry.sequence, "does not follow the entry before it"
            )
        recomputed = entry_hash(
            entry.sequence,
            entry.created_at.isoformat(),
            entry.actor,
            entry.action,
            entry.subjects,
            entry.previous_hash,
        )
        if recomputed != entry.hash:
            return Verdict(False, count, previous, entry.sequence, "its content was changed")
        previous, expected_sequence = entry.hash, expected_sequence + 1
    head = Head.objects.filter(singleton=True).first()
    if head and (head.sequence, head.hash) != (expected_sequence - 1, previous):
        return Verdict(
            False, count, previous, expected_sequence, "entries after this one are missing"
        )
    return Verdict(True, count, previous)
