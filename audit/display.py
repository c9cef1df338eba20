"""The log in words, for the auditor's page and its CSV download.

The log keeps opaque ids ("staff:5", report and person UUIDs); they become words only
here, at display time. An auditor holds no keys: what they see of a subject is its
metadata, a staff member's login, a case number or the first 8 characters of a
report's id. Nothing here decrypts anything.

The audit app knows staff; other apps name their own subjects (a case number for a
person id) through `register_resolver`, called from their AppConfig.ready.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Staff

from .chain import keeps_day_only
from .models import Action, Entry, Waiting

LogEntry = Entry | Waiting

# A resolver: given subject ids (32 hex characters), the label of those it knows.
Resolver = Callable[[set[str]], dict[str, str]]
_resolvers: dict[str, Resolver] = {}

PREFIX = 8

FIXED_ACTORS: dict[str, Promise] = {
    "reporter": _("A reporter"),
    "system": _("The system"),
    "recovery": _("The recovery trustees"),
    "unknown": _("An unknown login"),
}

# What each position of an action's subjects names; the last kind repeats for the rest.
# "any" is looked up: a staff member, a key holder's staff member or a case, otherwise
# a report (access granted and removed name reports, cases and keys alike).
REPORT, PERSON, STAFF, HOLDER, ANY = "report", "person", "staff", "holder", "any"
KIND_WORDS: dict[str, Promise] = {
    REPORT: _("report"),
    PERSON: _("case"),
    "organisation": _("organisation"),
    "proposal": _("proposal"),
    "file": _("file"),
    "message": _("message"),
    "event": _("timeline entry"),
    "note": _("note"),
    "passkey": _("passkey"),
    "export": _("export"),
    "recipient": _("recipient"),
}
SUBJECT_KINDS: dict[str, tuple[str, ...]] = {
    Action.ORGANISATION_CREATED: ("organisation", STAFF),
    Action.STAFF_CREATED: (STAFF,),
    Action.ROLE_CHANGED: (STAFF,),
    Action.PASSWORD_RESET: (STAFF,),
    Action.STAFF_DEACTIVATED: (STAFF,),
    Action.LOGIN: (STAFF,),
    Action.LOGIN_FAILED: (STAFF,),
    Action.LOGOUT: (STAFF,),
    Action.KEY_UNLOCKED: (HOLDER,),
    Action.KEY_GRANTED: (ANY,),
    Action.KEY_REVOKED: (ANY,),
    Action.PASSKEY_REGISTERED: (STAFF, "passkey"),
    Action.PASSKEY_REMOVED: (STAFF, "passkey"),
    Action.PASSWORD_CHANGED: (STAFF,),
    Action.CHANGE_PROPOSED: ("proposal", STAFF),
    Action.CHANGE_APPROVED: ("proposal", STAFF),
    Action.CHANGE_DECLINED: ("proposal",),
    Action.REPORT_RECEIVED: (REPORT,),
    Action.REPORT_OPENED: (REPORT,),
    Action.INBOX_VIEWED: (REPORT,),
    Action.CASES_LISTED: (PERSON,),
    Action.REPORT_ASSIGNED: (REPORT, STAFF),
    Action.MESSAGE_SENT: (REPORT, "message"),
    Action.PERSON_CREATED: (PERSON, REPORT),
    Action.PERSON_LINKED: (PERSON, REPORT),
    Action.PERSON_OPENED: (PERSON,),
    Action.STATUS_RECORDED: (PERSON, "event"),
    Action.NOTE_ADDED: (PERSON, "note"),
    Action.PERSON_MERGED: (PERSON, PERSON),  # the survivor, then the merged case
    Action.REPORT_UNLINKED: (PERSON, REPORT),
    Action.PERSONS_SEARCHED: (PERSON,),
    Action.BUCKETS_REBUILT: (),
    Action.ATTACHMENT_DOWNLOADED: (REPORT, "file"),
    Action.ATTACHMENT_PREVIEWED: (REPORT, "file"),
    Action.CONSENT_CHANGED: (REPORT,),
    Action.REPORT_WITHDRAWN: (REPORT,),
    Action.REPORT_SHREDDED: (REPORT,),
    # An export, its case, then the reports it draws on.
    Action.EXPORT_DRAFTED: ("export", PERSON, REPORT),
    Action.EXPORT_APPROVED: ("export", PERSON),
    Action.EXPORT: ("export", PERSON, REPORT),
    Action.EXPORT_BLOCKED: ("export", REPORT),
    Action.RECIPIENTS_CHANGED: ("recipient",),
    Action.CHAIN_VERIFIED: (),
    Action.AUDIT_DOWNLOADED: (),
    Action.AUTHENTICATOR_ENROLLED: (STAFF,),
    Action.STATISTICS_VIEWED: (),
    Action.STATISTICS_DOWNLOADED: (),
}


def register_resolver(kind: str, resolver: Resolver) -> None:
    """Let an app name its subjects of this kind (e.g. "person": case numbers)."""
    _resolvers[kind] = resolver


def action_label(action: str) -> str:
    """Every action in words; an unknown value (from an older version) as it is."""
    try:
        return str(Action(action).label)
    except ValueError:
        return action


def kind_of(action: str, position: int) -> str:
    kinds = SUBJECT_KINDS.get(action, (ANY,)) or (ANY,)
    return kinds[min(position, len(kinds) - 1)]


@dataclass(frozen=True)
class Subject:
    kind: str  # report, person, staff, ... as in SUBJECT_KINDS, resolved for "any"
    text: str  # what the auditor reads: "report 3f2a9c1d", "case 12", "alice"
    id: str  # the opaque id as the log keeps it (for the subject filter)


@dataclass(frozen=True)
class Row:
    sequence: int | None  # None: waiting for its day to end
    when: str  # "2026-11-29" (day-only) or "2026-11-29 14:02:11"
    actor: str
    actor_id: str
    action: str
    action_label: str
    subjects: tuple[Subject, ...]
    more: int = 0  # subjects not shown (a page shows the first few; the download has all)


class Names:
    """The words for one page of entries, looked up in one query per kind."""

    def __init__(self, entries: Sequence[LogEntry], limit: int | None = None) -> None:
        # Only ids whose kind needs a lookup are looked up: a report needs none (its prefix).
        staff_ids: set[int] = set()
        holder_ids: set[str] = set()
        person_ids: set[str] = set()
        for entry in entries:
            actor = entry.actor
            if actor.startswith("staff:") and actor[6:].isdigit():
                staff_ids.add(int(actor[6:]))
            for position, value in enumerate(entry.subjects[:limit]):
                kind, text = kind_of(entry.action, position), str(value)
                if kind in (STAFF, ANY) and text.isdigit():
                    staff_ids.add(int(text))
                elif kind in (HOLDER, PERSON, ANY) and _is_hex_id(text):
                    (person_ids if kind == PERSON else holder_ids).add(text)
                    if kind == ANY:
                        person_ids.add(text)
        self.limit = limit
        self.logins = dict(Staff.objects.filter(pk__in=staff_ids).values_list("pk", "username"))
        holders = Staff.objects.filter(holder_id__in=[uuid.UUID(hex=h) for h in holder_ids])
        self.holders = {h.hex: login for h, login in holders.values_list("holder_id", "username")}
        resolve = _resolvers.get(PERSON)
        self.persons = resolve(person_ids) if resolve and person_ids else {}
        # Words in the current language, translated once per page rather than per id.
        self.words = {kind: str(word) for kind, word in KIND_WORDS.items()}

    def actor(self, actor: str) -> str:
        if actor in FIXED_ACTORS:
            return str(FIXED_ACTORS[actor])
        if actor.startswith("staff:") and actor[6:].isdigit():
            pk = int(actor[6:])
            return self.logins.get(pk) or str(_("staff account #%(pk)s") % {"pk": pk})
        return actor

    def subject(self, action: str, position: int, value: str) -> Subject:
        kind = kind_of(action, position)
        if kind == ANY:
            kind = self._guess(value)
        if kind == STAFF and value.isdigit():
            pk = int(value)
            login = self.logins.get(pk) or str(_("staff account #%(pk)s") % {"pk": pk})
            return Subject(STAFF, login, value)
        if kind == HOLDER:
            text = self.holders.get(value) or str(_("key %(prefix)s") % {"prefix": value[:PREFIX]})
            return Subject(HOLDER, text, value)
        if kind == PERSON and value in self.persons:
            return Subject(PERSON, self.persons[value], value)
        word = self.words.get(kind, kind)
        return Subject(kind, f"{word} {value[:PREFIX]}", value)

    def _guess(self, value: str) -> str:
        if value.isdigit():
            return STAFF
        if value in self.holders:
            return HOLDER
        if value in self.persons:
            return PERSON
        return REPORT

    def row(self, entry: LogEntry) -> Row:
        # Day-only entries are dated midnight in the server's zone: read them there.
        moment = timezone.localtime(entry.created_at)
        day_only = keeps_day_only(entry.actor, entry.action)
        action = entry.action
        shown = entry.subjects[: self.limit]
        return Row(
            sequence=entry.sequence if isinstance(entry, Entry) else None,
            when=moment.strftime("%Y-%m-%d" if day_only else "%Y-%m-%d %H:%M:%S"),
            actor=self.actor(entry.actor),
            actor_id=entry.actor,
            action=action,
            action_label=action_label(action),
            subjects=tuple(self.subject(action, i, str(v)) for i, v in enumerate(shown)),
            more=len(entry.subjects) - len(shown),
        )


HEX_ID = re.compile(r"\A[0-9a-f]{32}\Z")


def _is_hex_id(value: str) -> bool:
    return HEX_ID.match(value) is not None


def rows(entries: Iterable[LogEntry], limit: int | None = None) -> list[Row]:
    """The entries in words, with one lookup per kind for all of them; with a limit,
    only the first `limit` subjects of each (the rest counted in Row.more)."""
    entries = list(entries)
    names = Names(entries, limit)
    return [names.row(entry) for entry in entries]
