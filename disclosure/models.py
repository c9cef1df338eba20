"""An export: a case prepared for one recipient, reviewed by a second person, released.

Everything about its content (the recipient's name, the draft text, what was kept in
clear and what marked, the released files) is sealed under the case's own key, so the
holders of the case read it and no one else. In clear, only what the workflow needs:
the public export id, the case, the reports it draws on (a reporter's narrowed consent
must block it at once, with no key at hand), the template, the recipient kind, the
identity level, the state, who wrote and who approved it, and days, never times.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Staff
from cases.models import Person
from intake.models import Report


class Template(models.TextChoices):
    WGEID = "wgeid", _("Case submission to the UN Working Group on Enforced Disappearances")
    PARTNER = "partner", _("Summary for a partner organisation, without names")
    PUBLIC = "public", _("Public statement")


class RecipientKind(models.TextChoices):
    UN = "un", _("UN human rights mechanism")
    PARTNER = "partner", _("Partner organisation")
    PUBLIC = "public", _("Press or public")


class IdentityLevel(models.TextChoices):
    ANONYMOUS = "anonymous", _("No one named")
    MISSING_NAMED = "missing-named", _("The missing person named; the reporter confidential")
    REPORTER_NAMED = "reporter-named", _("The missing person and the reporter named")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by a second person")
    RELEASED = "released", _("Released")
    BLOCKED = "blocked", _("Blocked: the family's consent no longer allows it")


class Export(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The only id the package carries (disclosure.services.new_public_id).
    public_id = models.CharField(max_length=16, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exports")
    template = models.CharField(max_length=16, choices=Template.choices)
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    identity_level = models.CharField(max_length=16, choices=IdentityLevel.choices)
    # A public statement that carries the family's own account: only full public use
    # allows it, so a narrower consent blocks it even at the same identity level.
    narrative = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", null=True)
    # SHA-256 of the exact final version the reviewer approved; any change empties it.
    approved_hash = models.BinaryField(default=b"")
    # The recipient's name, the draft fields, the proposals kept in clear and the
    # marked words (disclosure.services.Draft), under the case's key.
    sealed_draft = models.BinaryField()
    # The released PDF and JSON, under the case's key: what the organisation sent.
    sealed_package = models.BinaryField(default=b"")
    created_on = models.DateField(default=timezone.localdate)
    released_on = models.DateField(null=True, blank=True)
    reports = models.ManyToManyField(Report, through="ExportReport", related_name="+")

    class Meta:
        ordering = ["-created_on", "public_id"]

    def __str__(self) -> str:
        return self.public_id


class ExportReport(models.Model):
    """A report an export draws on: its consent is checked at every step."""

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="drawn_on")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exports")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "report"], name="one_row_per_export_report")
        ]

    def __str__(self) -> str:
        return f"{self.export_id} draws on {self.report_id}"


class Recipient(models.Model):
    """An entry of the organisation's register of recipients, kept by coordinators: its
    name (the Working Group, a partner, a journalist) sealed under the register's key,
    which comes with the roles that draft exports; in clear only its kind and whether it
    is in use."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    sealed_name = models.BinaryField()
    active = models.BooleanField(default=True)
    created_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"recipient {self.id}"
