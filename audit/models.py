"""The audit log: append-only and hash-chained.

Each entry holds the SHA-256 of its own content and of the entry before it, so
changing, reordering or removing an entry breaks the chain from there on
(audit.chain.verify names the first broken entry). Entries name the actor, the
action, the opaque ids touched and the time: never names or content.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    ORGANISATION_CREATED = "organisation.created"
    STAFF_CREATED = "staff.created"
    ROLE_CHANGED = "staff.role-changed"
    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    KEY_UNLOCKED = "key.unlocked"
    KEY_GRANTED = "key.granted"
    KEY_REVOKED = "key.revoked"
    PASSKEY_REGISTERED = "passkey.registered"
    PASSKEY_REMOVED = "passkey.removed"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105 - an action name
    PASSWORD_RESET = "staff.password-reset"  # noqa: S105 - an action name
    CHANGE_PROPOSED = "staff.change-proposed"
    CHANGE_APPROVED = "staff.change-approved"
    CHANGE_DECLINED = "staff.change-declined"
    REPORT_RECEIVED = "report.received"
    REPORT_OPENED = "report.opened"
    INBOX_VIEWED = "inbox.viewed"
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

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class Head(models.Model):
    """One row, locked while an entry is appended so the chain never forks."""

    singleton = models.BooleanField(default=True, unique=True)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.sequence}"
