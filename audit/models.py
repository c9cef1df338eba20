"""The audit log: append-only and hash-chained.

Each entry holds the SHA-256 of its own content and of the entry before it, so
changing, reordering or removing an entry breaks the chain from there on
(audit.chain.verify names the first broken entry). Entries name the actor, the
action, the opaque ids touched and the time: never names or content.

Anything a reporter does, and anything that names a report, keeps only its day
(audit.chain.keeps_day_only): it waits as a Waiting row until its day is over, then
joins the chain with the rest of that day, so its place in the chain does not date it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    ORGANISATION_CREATED = "organisation.created"
    STAFF_CREATED = "staff.created"
    ROLE_CHANGED = "staff.role-changed"
    PASSWORD_RESET = "staff.password-reset"  # noqa: S105 - an action name
    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    KEY_UNLOCKED = "key.unlocked"
    KEY_GRANTED = "key.granted"
    KEY_REVOKED = "key.revoked"
    PASSKEY_REGISTERED = "passkey.registered"
    PASSKEY_REMOVED = "passkey.removed"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 - an action name
    CHANGE_PROPOSED = "staff.change-proposed"
    CHANGE_APPROVED = "staff.change-approved"
    CHANGE_DECLINED = "staff.change-declined"
    REPORT_RECEIVED = "report.received"
    REPORT_OPENED = "report.opened"
    INBOX_VIEWED = "inbox.viewed"
    CASES_LISTED = "cases.listed"
    REPORT_ASSIGNED = "report.assigned"
    MESSAGE_SENT = "message.sent"
    PERSON_CREATED = "person.created"
    PERSON_LINKED = "person.linked"
    PERSON_OPENED = "person.opened"
    STATUS_RECORDED = "person.status-recorded"
    NOTE_ADDED = "person.note-added"
    ATTACHMENT_DOWNLOADED = "attachment.downloaded"
    CONSENT_CHANGED = "report.consent-changed"
    REPORT_WITHDRAWN = "report.withdrawn"
    REPORT_SHREDDED = "report.shredded"
    EXPORT = "export"
    STATISTICS_VIEWED = "statistics.viewed"
    STATISTICS_DOWNLOADED = "statistics.downloaded"


class Entry(models.Model):
    sequence = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # An opaque actor: "staff:<id>", "reporter", "system" or "recovery".
    actor = models.CharField(max_length=64)
    action = models.CharField(max_length=64, choices=Action.choices)
    subjects = models.JSONField(default=list)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "entries"
        # For the PostgreSQL guard on Waiting (a waiting entry leaves only into the chain):
        # one lookup per entry, however many of a day's entries share an action.
        indexes = [
            models.Index(
                fields=["action", "created_at", "actor", "subjects"], name="audit_entry_content"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def day_only(self) -> bool:
        from .chain import keeps_day_only  # the rule lives with the chain

        return keeps_day_only(self.actor, self.action)


class Head(models.Model):
    """One row, locked while an entry is appended so the chain never forks."""

    singleton = models.BooleanField(default=True, unique=True)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class Waiting(models.Model):
    """A day-only entry waiting for its day to end. A random id and no sequence: nothing
    here says in which order the day's entries came (audit.chain.append_waiting)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField()  # midnight of the day, never a time
    actor = models.CharField(max_length=64)
    action = models.CharField(max_length=64, choices=Action.choices)
    subjects = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "waiting entries"

    def __str__(self) -> str:
        return f"{self.action} on {self.created_at:%Y-%m-%d}"
