"""Reports as stored: ciphertext, wrapped keys, and the few fields the workflow
needs in clear (docs/ARCHITECTURE.md): opaque id, status, received day, language, consent
level and coarse region. Everything a reporter types is in `sealed_content`."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Reason, WrappedKey


class Consent(models.TextChoices):
    INTERNAL = "internal", _("Only the organisation may use my report. Do not share it.")
    UN_CONFIDENTIAL = (
        "un-confidential",
        _("Share it with UN human rights mechanisms, but keep my identity confidential."),
    )
    UN_NAMED = "un-named", _("Share it with UN human rights mechanisms, including who I am.")
    PARTNERS = "partners", _("Share it without any names with partner organisations.")
    PUBLISH_NAME = (
        "publish-name",
        _("The missing person's name may be published. My name is never published."),
    )
    PUBLIC = (
        "public",
        _("Full public use of the missing person's case. My name is never published."),
    )


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("report status", "Received")
    IN_REVIEW = "in-review", pgettext_lazy("report status", "Being reviewed")
    FOLLOWED = "followed", pgettext_lazy("report status", "Being followed by a caseworker")
    CLOSED = "closed", pgettext_lazy("report status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("report status", "Withdrawn; to be deleted")


class Region(models.TextChoices):
    """Coarse places only (prefecture level), so a region never points to a family."""

    URUMQI = "urumqi", _("Ürümqi")
    KASHGAR = "kashgar", _("Kashgar prefecture")
    HOTAN = "hotan", _("Hotan prefecture")
    AKSU = "aksu", _("Aksu prefecture")
    KIZILSU = "kizilsu", _("Kizilsu prefecture")
    ILI = "ili", _("Ili prefecture")
    ALTAY = "altay", _("Altay prefecture")
    TARBAGHATAY = "tarbaghatay", _("Tarbaghatay prefecture")
    BORTALA = "bortala", _("Bortala prefecture")
    BAYINGOLIN = "bayingolin", _("Bayingolin prefecture")
    CHANGJI = "changji", _("Changji prefecture")
    TURPAN = "turpan", _("Turpan")
    KUMUL = "kumul", _("Kumul")
    KARAMAY = "karamay", _("Karamay")
    ELSEWHERE = "elsewhere", _("Elsewhere in China")


# The clear fields the staff inbox filters and counts on (cases.inbox).
INBOX_FIELDS = ["status", "language", "region", "consent", "replied_on"]


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField(default=timezone.localdate)
    language = models.CharField(max_length=8)
    consent = models.CharField(max_length=16, choices=Consent.choices)
    region = models.CharField(max_length=16, choices=Region.choices, blank=True)
    schema_version = models.PositiveSmallIntegerField()
    sealed_content = models.BinaryField()
    # Derived from the receipt with the server's pepper (intake.receipts): finds the report.
    # Unique through Meta.constraints: `unique=True` would add a LIKE index on
    # PostgreSQL that equality lookups never use and every insert pays for.
    receipt_lookup = models.CharField(max_length=64)
    # The reporter's key pair is derived from the receipt (intake.receipts); the report
    # keeps its public key and the data key wrapped to it (emptied by shredding).
    reporter_public_key = models.BinaryField()
    reporter_key = models.BinaryField()
    withdrawn_on = models.DateField(null=True, blank=True)
    # The report is its own outbox entry: intake staff are told of it after commit
    # (intake.notices.dispatch_notices), and a broker outage only delays that.
    announced = models.BooleanField(default=False, db_default=False)
    # The staff inbox's work queue, days only like everything else a report keeps: the
    # last day something happened to the report (a message either way, an assignment,
    # a consent change), and the day of the reporter's oldest message that no holder
    # has read yet (empty once a holder opens the report).
    active_on = models.DateField(default=timezone.localdate)
    replied_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["receipt_lookup"], name="one_report_per_receipt")
        ]
        indexes = [
            # The staff inbox reads reports a page at a time (keyset), newest first or
            # by last activity, filtered on the clear workflow fields, and counts them
            # per filter: on PostgreSQL both orders cover those fields, so the page's
            # ids and the counts come from the indexes alone.
            models.Index(
                fields=["-received_on", "-id"], include=INBOX_FIELDS, name="report_inbox_order"
            ),
            models.Index(
                fields=["-active_on", "-id"], include=INBOX_FIELDS, name="report_inbox_activity"
            ),
            models.Index(
                fields=["id"], condition=models.Q(announced=False), name="report_unannounced"
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.id}"


class ReportKey(WrappedKey):
    """The report's data key, wrapped to one staff or recovery holder. No row, no access.
    Made at submission (intake.submission.submit) and through accounts.keyring."""

    # No index of its own: the unique (report, holder) constraint's index starts with it.
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="keys", db_index=False
    )

    subject_field = "report"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "holder"], name="one_report_key_per_holder")
        ]
        indexes = [
            # A holder's reports with the reason, from the index alone (the inbox's
            # counts); and the few assigned wrappings (the assignee, "unassigned").
            models.Index(
                fields=["holder", "report"], include=["reason"], name="report_key_by_holder"
            ),
            models.Index(
                fields=["report"],
                condition=models.Q(reason=Reason.ASSIGNED),
                name="report_key_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"key of {self.report_id} for {self.holder_id}"

    @classmethod
    def info(cls, subject: uuid.UUID, holder_id: uuid.UUID) -> bytes:
        from . import sealing  # named where reports are sealed; imported late (a cycle)

        return sealing.key_info(subject, holder_id)


class Attachment(models.Model):
    """A file, stream-encrypted under its own key; that key is sealed under the report's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        "Message", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    sealed_key = models.BinaryField()
    sealed_meta = models.BinaryField()
    added_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"attachment {self.id}"


class Message(models.Model):
    """A message in a report's thread, sealed under the report's key."""

    class Sender(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        STAFF = "staff", _("Organisation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16, choices=Sender.choices)
    sealed_body = models.BinaryField()
    # A day and a place in the thread, not a time: a reporter's message would otherwise
    # date their return visit to the second, while a report keeps only its day.
    sent_on = models.DateField(default=timezone.localdate)
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_message_per_place")
        ]

    def __str__(self) -> str:
        return f"message {self.id}"


class PendingNotice(models.Model):
    """Outbox for notices other than new reports: written in the same transaction as
    what it announces, deleted once sent. It keeps no time, so it dates nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32)
    subject = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.kind} notice {self.id}"


class UsedFormId(models.Model):
    """A report form whose report was stored: a keyed hash of the form's one-time id,
    written in the transaction that stores the report. A report that was not stored
    never used its form's id, and a form is stored once whatever the cache does.
    Kept a day or two (intake.tasks.forget_used_form_ids), with a day, not a time."""

    digest = models.UUIDField(primary_key=True)
    used_on = models.DateField(default=timezone.localdate)
    # The receipt, sealed under a key derived from the form's one-time id, which only
    # the reporter's page holds: a resend of a form whose answer was lost shows the
    # receipt again. Forgotten with the row.
    sealed_receipt = models.BinaryField(null=True, editable=False)

    def __str__(self) -> str:
        return f"used form {self.digest}"


class Sharing(models.Model):
    """What left the organisation from this report, for the reporter's eyes: the
    recipient in plain words, sealed under the report's key (the receipt opens it), and
    the day. Written when an export drawing on the report is released."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sharings")
    sealed_notice = models.BinaryField()
    shared_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["shared_on", "id"]

    def __str__(self) -> str:
        return f"sharing {self.id}"
