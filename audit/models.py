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
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    STAFF_CREATED = "staff.created", _("Staff account created")
    ROLE_CHANGED = "staff.role-changed", _("Role changed")
    PASSWORD_RESET = "staff.password-reset", _("Password reset by a coordinator")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login.failed", _("Sign-in failed")
    LOGOUT = "logout", _("Signed out")
    KEY_UNLOCKED = "key.unlocked", _("Password accepted, key unlocked")
    KEY_GRANTED = "key.granted", _("Access granted")
    KEY_REVOKED = "key.revoked", _("Access removed")
    PASSKEY_REGISTERED = "passkey.registered", _("Passkey added")
    PASSKEY_REMOVED = "passkey.removed", _("Passkey removed")
    PASSWORD_CHANGED = "password.changed", _("Password changed by its owner")
    CHANGE_PROPOSED = "staff.change-proposed", _("Staff change proposed")
    CHANGE_APPROVED = "staff.change-approved", _("Staff change approved")
    CHANGE_DECLINED = "staff.change-declined", _("Staff change declined")
    REPORT_RECEIVED = "report.received", _("Report received")
    REPORT_OPENED = "report.opened", _("Report opened")
    INBOX_VIEWED = "inbox.viewed", _("Inbox page viewed")
    CASES_LISTED = "cases.listed", _("Cases list viewed")
    REPORT_ASSIGNED = "report.assigned", _("Report assigned")
    MESSAGE_SENT = "message.sent", _("Message sent to the reporter")
    PERSON_CREATED = "person.created", _("Case created from a report")
    PERSON_LINKED = "person.linked", _("Report linked to a case")
    PERSON_OPENED = "person.opened", _("Case opened")
    STATUS_RECORDED = "person.status-recorded", _("Status added to a case timeline")
    NOTE_ADDED = "person.note-added", _("Note added to a case")
    PERSON_MERGED = "person.merged", _("Two cases merged into one")
    REPORT_UNLINKED = "report.unlinked", _("Report unlinked from a case")
    PERSONS_SEARCHED = "persons.searched", _("Cases found by a name search")
    BUCKETS_REBUILT = "persons.buckets-rebuilt", _("Name index rebuilt with the recovery key")
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("File downloaded")
    ATTACHMENT_PREVIEWED = "attachment.previewed", _("Photo previewed on the report page")
    CONSENT_CHANGED = "report.consent-changed", _("Consent changed by the reporter")
    REPORT_WITHDRAWN = "report.withdrawn", _("Report withdrawn by the reporter")
    REPORT_SHREDDED = "report.shredded", _("Report shredded")
    EXPORT_DRAFTED = "export.drafted", _("Export drafted")
    EXPORT_APPROVED = "export.approved", _("Export approved by a second person")
    EXPORT = "export", _("Export released")
    EXPORT_BLOCKED = "export.blocked", _("Export stopped by a change of consent")
    RECIPIENTS_CHANGED = "recipients.changed", _("Recipient register changed")
    STAFF_DEACTIVATED = "staff.deactivated", _("Staff account deactivated")
    CHAIN_VERIFIED = "audit.chain-verified", _("Audit chain verified")
    AUDIT_DOWNLOADED = "audit.downloaded", _("Audit log downloaded")
    AUTHENTICATOR_ENROLLED = "totp.enrolled", _("Authenticator app set up")
    STATISTICS_VIEWED = "statistics.viewed", _("Statistics viewed")
    STATISTICS_DOWNLOADED = "statistics.downloaded", _("Statistics downloaded")


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
            ),
            # The auditor's commonest question, what one person did, newest first.
            models.Index(fields=["actor", "-sequence"], name="audit_entry_actor"),
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
        # audit.chain.record_view: has this staff member seen the subject today?
        indexes = [models.Index(fields=["actor", "created_at"], name="audit_waiting_actor_day")]

    def __str__(self) -> str:
        return f"{self.action} on {self.created_at:%Y-%m-%d}"


class ChainCheck(models.Model):
    """The verdict of a verification of the chain (audit.chain.check), on demand or
    daily. The day only, as everything else here that is no staff event; the entries
    checked say how far the chain reached then."""

    day = models.DateField()
    ok = models.BooleanField()
    entries_checked = models.BigIntegerField()
    broken_at = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)  # audit.chain.Verdict.reason
    # Which check: "daily" (beat) or "auditor" (the button); never who or when.
    by = models.CharField(max_length=16)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"check of {self.day:%Y-%m-%d}: {'intact' if self.ok else 'broken'}"
