"""Appending to the audit log and verifying its chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.db import models, transaction
from django.utils import timezone

from .models import Action, ChainCheck, Entry, Head, Waiting

GENESIS = "0" * 64

# The only actions that keep their time: staff and system events that never name a
# report. Everything else, and anything a reporter does, keeps only its day, so a new
# action that is not listed here fails safe. A report's time would otherwise come back
# from the audit log (an inbox view that lists it, a first opening, a consent change).
TIMED_ACTIONS = frozenset(
    {
        Action.ORGANISATION_CREATED,
        Action.STAFF_CREATED,
        Action.ROLE_CHANGED,
        Action.LOGIN,
        Action.LOGIN_FAILED,
        Action.LOGOUT,
        Action.KEY_UNLOCKED,
        Action.PASSKEY_REGISTERED,
        Action.PASSKEY_REMOVED,
        Action.PASSWORD_CHANGED,
        # Staff management names staff and proposals, never a report.
        Action.PASSWORD_RESET,
        Action.CHANGE_PROPOSED,
        Action.CHANGE_APPROVED,
        Action.CHANGE_DECLINED,
        Action.PERSON_OPENED,
        Action.STATUS_RECORDED,
        Action.NOTE_ADDED,
        # Statistics are counts over every report: they name none.
        Action.STATISTICS_VIEWED,
        Action.STATISTICS_DOWNLOADED,
        Action.STAFF_DEACTIVATED,
        Action.CHAIN_VERIFIED,
        Action.AUDIT_DOWNLOADED,
        Action.AUTHENTICATOR_ENROLLED,
    }
)
REPORTER = "reporter"


def keeps_day_only(actor: str, action: str) -> bool:
    """The one rule for which entries keep a day rather than a time."""
    return actor == REPORTER or action not in TIMED_ACTIONS


def midnight(day: date) -> datetime:
    """The start of a day in the server's time zone, the only time a day-only entry has."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _stamp(moment: datetime) -> str:
    """The time as hashed: always in UTC, so it reads the same back from any database."""
    return moment.astimezone(UTC).isoformat()


def entry_hash(
    sequence: int, created_at: str, actor: str, action: str, subjects: list[str], previous: str
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


def staff_actor(staff: models.Model) -> str:
    return f"staff:{staff.pk}"


def record(actor: str, action: str, subjects: Iterable[object] = ()) -> Entry | Waiting:
    """Record an event in the transaction of the change it records (or in its own).

    A timed entry is appended to the chain at once. A day-only one waits, dated to its
    day, until the day is over (append_waiting): appended at once, its place between
    timed entries would give back the time it does not keep.
    """
    return _record(actor, action, _subjects(subjects))


def _record(actor: str, action: str, ids: list[str]) -> Entry | Waiting:
    if keeps_day_only(actor, action):
        return Waiting.objects.create(
            created_at=midnight(timezone.localdate()), actor=actor, action=action, subjects=ids
        )
    with transaction.atomic():
        head = _locked_head()
        _append_days_before(head, timezone.localdate())
        return _append(head, timezone.now(), actor, action, ids)


# A page view is recorded once per staff member, subject and day: the first opening.
# A reload, or the page shown again after an action on it, adds nothing an auditor
# needs (the action has its own entry), and the log stays one entry per action. Only an
# earlier opening counts: an action (a download, a preview, a message) does not show the
# page's content, so it never stands in for the opening that did.
SEEN_WITH: dict[str, tuple[str, ...]] = {
    Action.REPORT_OPENED: (Action.REPORT_OPENED,),
    Action.PERSON_OPENED: (Action.PERSON_OPENED,),
}


def record_view(actor: str, action: str, subject: object) -> bool:
    """Record that a staff member opened a report or a case, unless their log names it
    first among today's views and actions (SEEN_WITH). Returns whether it recorded."""
    first = _subjects([subject])[0]
    since = midnight(timezone.localdate())
    for model in (Waiting, Entry):
        seen = model.objects.filter(
            actor=actor, action__in=SEEN_WITH[action], created_at__gte=since, subjects__0=first
        )
        if seen.exists():
            return False
    record(actor, action, [subject])
    return True


def record_listing(actor: str, action: str, subjects: Iterable[object]) -> bool:
    """Record a listing (an inbox page) unless the same staff member saw exactly the
    same ids listed earlier today. Returns whether it recorded."""
    ids = _subjects(subjects)
    since = midnight(timezone.localdate())
    if (
        Waiting.objects.filter(actor=actor, action=action, created_at__gte=since)
        .filter(subjects=ids)
        .exists()
    ):
        return False
    _record(actor, action, ids)
    return True


def append_waiting(before: date | None = None) -> int:
    """Append the day-only entries of every day before `before` (today by default) to
    the chain; returns how many. Run hourly by beat, and by the first timed entry of a
    new day, so a quiet organisation's log still closes each day."""
    with transaction.atomic():
        return _append_days_before(_locked_head(), before or timezone.localdate())


def _locked_head() -> Head:
    head, _ = Head.objects.select_for_update().get_or_create(singleton=True)
    return head


def _append_days_before(head: Head, day: date) -> int:
    """Each day in one batch, in an order taken from the entries' content (action, actor,
    ids: random UUIDs), never from the order in which they happened."""
    waiting = list(Waiting.objects.filter(created_at__lt=midnight(day)))
    waiting.sort(key=lambda w: (w.created_at, w.action, w.actor, w.subjects))
    entries = [_next(head, w.created_at, w.actor, w.action, w.subjects) for w in waiting]
    Entry.objects.bulk_create(entries, batch_size=500)
    if entries:
        head.save(update_fields=["sequence", "hash"])
    # By id, not by date: a row of that day committed meanwhile waits for the next run.
    ids = [row.id for row in waiting]
    for start in range(0, len(ids), 500):
        Waiting.objects.filter(id__in=ids[start : start + 500]).delete()
    return len(waiting)


def _next(head: Head, created_at: datetime, actor: str, action: str, ids: list[str]) -> Entry:
    """The entry that follows the head (unsaved); the head moves on to it in memory."""
    entry = Entry(
        sequence=head.sequence + 1,
        created_at=created_at,
        actor=actor,
        action=action,
        subjects=ids,
        previous_hash=head.hash,
    )
    entry.hash = entry_hash(entry.sequence, _stamp(created_at), actor, action, ids, head.hash)
    head.sequence, head.hash = entry.sequence, entry.hash
    return entry


def _append(head: Head, created_at: datetime, actor: str, action: str, ids: list[str]) -> Entry:
    entry = _next(head, created_at, actor, action, ids)
    entry.save()
    head.save(update_fields=["sequence", "hash"])
    return entry


def check(by: str) -> ChainCheck:
    """Verify the whole chain and keep the verdict (its day, never its time): run daily
    by beat ("daily") and on demand by an auditor ("auditor")."""
    verdict = verify()
    return ChainCheck.objects.create(
        day=timezone.localdate(),
        ok=verdict.ok,
        entries_checked=verdict.count,
        broken_at=verdict.broken_at,
        reason=verdict.reason[:200],
        by=by,
    )


def last_check() -> ChainCheck | None:
    return ChainCheck.objects.order_by("-id").first()


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
            _stamp(entry.created_at),
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
