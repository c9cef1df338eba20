"""A person: the missing person as the organisation knows them, linking one or more
reports, with a status timeline and notes. Everything identifying is sealed under
the person's own data key, wrapped to each holder like a report's key."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Staff, WrappedKey
from intake.models import Report


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Not yet verified")
    PARTLY = "partly", _("Partly verified")
    CONFIRMED = "confirmed", _("Confirmed by independent sources")


class PersonStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    CAMP = "camp", _("Located in a camp")
    DETAINED = "detained", _("Detained")
    SENTENCED = "sentenced", _("Sentenced")
    RESTRICTED = "restricted", _("Released under restriction")
    DIED = "died", _("Died")
    UNKNOWN = "unknown", _("Unknown")


class Precision(models.TextChoices):
    """How much of a date is known: a timeline event may be known to the year only."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True)  # the case number staff quote
    created_on = models.DateField(default=timezone.localdate)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    status = models.CharField(
        max_length=16, choices=PersonStatus.choices, default=PersonStatus.MISSING
    )
    sealed_name = models.BinaryField()
    # Every name of every linked report (with its script), the father's name, the birth
    # year and the home county, sealed under the person's key (cases.duplicates): a
    # proposal opens this one field per candidate instead of each linked report.
    sealed_identity = models.BinaryField(default=b"")
    # A report of the person was shredded: its buckets, identity and name went at once
    # (no key is needed to delete), and the next staff member with the index key who
    # acts on the person seals them again from the reports left (cases.duplicates).
    reindex_due = models.BooleanField(default=False)

    class Meta:
        # The persons waiting to be indexed again: few, found without a scan.
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(reindex_due=True), name="persons_reindex_due"
            )
        ]

    def __str__(self) -> str:
        return f"case {self.number}"


class PersonKey(WrappedKey):
    """The person's key, wrapped to one holder; granted with the case (cases.case_keys)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")

    subject_field = "person"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "holder"], name="one_person_key_per_holder")
        ]
        # The cases list and its count: the persons one holder holds, read from the index
        # alone (the wrapped keys make the table itself large).
        indexes = [models.Index(fields=["holder", "person"], name="person_keys_of_holder")]

    def __str__(self) -> str:
        return f"key of {self.person_id} for {self.holder_id}"

    @classmethod
    def info(cls, subject: uuid.UUID, holder_id: uuid.UUID) -> bytes:
        return f"amanat/person-key/{subject.hex}/holder/{holder_id.hex}".encode()


class PersonBucket(models.Model):
    """One blind-index bucket of a person's names (names.buckets): a truncated HMAC
    under the organisation's index key, so equal name parts of two reports meet here
    without the names. `version` is the names normalisation that made it."""

    # No index of its own: one_row_per_person_bucket leads with person.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="buckets", db_index=False
    )
    bucket = models.BinaryField()
    version = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "bucket"], name="one_row_per_person_bucket")
        ]
        # The proposal's lookup, index-only: how common a bucket is, and who has it.
        indexes = [
            models.Index(fields=["bucket", "version", "person"], name="person_bucket_lookup_v")
        ]

    def __str__(self) -> str:
        return f"bucket of {self.person_id}"


class PersonReport(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="person_link")

    def __str__(self) -> str:
        return f"{self.report_id} in {self.person_id}"


class StatusEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="timeline")
    status = models.CharField(max_length=16, choices=PersonStatus.choices)
    # A partial date keeps the first day of its month or year, so events sort by `on`;
    # `precision` says how much of it is known and how it is shown.
    on = models.DateField()
    precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.DAY)
    sealed_source = models.BinaryField()
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "created_at"]

    def __str__(self) -> str:
        return f"{self.status} on {self.on}"


class Note(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    sealed_body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note {self.id}"


class MergedNumber(models.Model):
    """The case number (and id) of a person merged into another (cases.merging): the
    number is never given out again, and the old page and number lead to the survivor.
    Only these two opaque fields are kept of the merged person."""

    number = models.PositiveIntegerField(unique=True)
    merged_id = models.UUIDField(unique=True)
    survivor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merged_numbers")

    def __str__(self) -> str:
        return f"case {self.number} merged into {self.survivor_id}"
