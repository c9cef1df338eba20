"""Staff, key holders and the organisation's keys.

Every staff member and the organisation's recovery key is a key holder: a hybrid
post-quantum key pair. Only the public key is stored in clear; a staff member's
private key is stored locked under their password (Argon2id), and the recovery
private key is not stored at all.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

import crypto


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake caseworker")
    CASEWORKER = "caseworker", _("Caseworker")
    REVIEWER = "reviewer", _("Reviewer")
    COORDINATOR = "coordinator", _("Coordinator")
    AUDITOR = "auditor", _("Auditor")


class KeyHolder(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff member")
        RECOVERY = "recovery", _("Recovery key")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    public_key = models.BinaryField()
    fingerprint = models.CharField(max_length=32, unique=True)
    # Staff only: the private key locked under Argon2id of the password.
    locked_private_key = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} key {self.fingerprint[:12]}"

    @property
    def public(self) -> crypto.PublicKey:
        return crypto.PublicKey.from_bytes(bytes(self.public_key))


class StaffManager(BaseUserManager["Staff"]):
    """Staff are created by accounts.services (they need a key pair), never here."""


class Staff(AbstractBaseUser):
    username = models.CharField(max_length=64, unique=True, validators=[UnicodeUsernameValidator()])
    role = models.CharField(max_length=16, choices=Role.choices)
    holder = models.OneToOneField(KeyHolder, on_delete=models.PROTECT, related_name="staff")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # No longer read: wrong passwords slow down an (account, client) pair instead of
    # locking the account (accounts/throttle.py). Kept until a migration drops them.
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Set when a coordinator chose the password (a new account, a reset): until the
    # staff member picks their own, the staff area shows only the password page.
    must_change_password = models.BooleanField(default=False)
    # The language of the staff pages for this staff member (accounts.language), one of
    # settings.LANGUAGES. It never reaches the public side.
    language = models.CharField(
        max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["role"]
    objects = StaffManager()

    class Meta:
        verbose_name = "staff member"
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.username


class Organisation(models.Model):
    """The one organisation this installation serves. Created by `bootstrap`."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    recovery_holder = models.OneToOneField(
        KeyHolder, on_delete=models.PROTECT, related_name="recovery_for"
    )
    recovery_threshold = models.PositiveSmallIntegerField()
    recovery_share_count = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="one_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class Reason(models.TextChoices):
    """Why a holder has a wrapping: what a change of role keeps or drops (accounts.keyring)."""

    INTAKE = "intake", _("Received as a member of the intake team")
    ASSIGNED = "assigned", _("Granted to this person: an assignment or a recovery grant")
    ROLE = "role", _("Comes with the role")


# The blind-index key lets its holder test a guessed name against the database, so
# only roles that triage (and the coordinator, who onboards them) receive it.
INDEX_KEY_ROLES = frozenset({Role.INTAKE, Role.CASEWORKER, Role.COORDINATOR})


class WrappedKey(models.Model):
    """One key wrapped (HPKE) to one holder: no row, no access.

    Every kind of wrapped key subclasses this in the app that owns what it wraps and
    names what it wraps (`subject_field`) and its own HPKE info string (`info`).
    accounts.keyring finds the kinds at run time, so accounts never imports them.
    """

    # Concrete kinds keep their own reverse names off KeyHolder: wrappings are reached
    # only through accounts.keyring.
    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="+")
    wrapped = models.BinaryField()
    # Made without a reason (a new report's wrappings at submission): intake, the one
    # a move away from intake drops.
    reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.INTAKE)

    subject_field: ClassVar[str]

    class Meta:
        abstract = True

    @classmethod
    def info(cls, subject: Any, holder_id: uuid.UUID) -> bytes:
        """The HPKE info: names the key and the holder it is wrapped for."""
        raise NotImplementedError

    @classmethod
    def justified(cls, reason: str, role: str) -> bool:
        """Whether a staff member in `role` keeps a wrapping held for `reason`."""
        if reason == Reason.ASSIGNED:
            return True  # individually granted cases stay until revoked
        return reason == Reason.INTAKE and role == Role.INTAKE

    @classmethod
    def subject_attname(cls) -> str:
        """The column naming the subject: `report_id`, `person_id`, `purpose`."""
        field = cls._meta.get_field(cls.subject_field)
        assert isinstance(field, models.Field)
        return field.attname

    @property
    def subject(self) -> Any:
        return getattr(self, self.subject_attname())

    def own_info(self) -> bytes:
        return self.info(self.subject, self.holder_id)


class OrganisationKey(WrappedKey):
    """An organisation-wide key (the blind-index key, the recipient register's key),
    wrapped to one holder. Each comes with the roles that triage and draft exports."""

    class Purpose(models.TextChoices):
        INDEX = "index", _("Blind-index key")
        # The sealed register of recipients exports go to (disclosure.recipients).
        REGISTER = "register", _("Recipient register key")

    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    created_at = models.DateTimeField(default=timezone.now)

    subject_field = "purpose"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purpose", "holder"], name="one_wrap_per_holder")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} key for {self.holder_id}"

    @classmethod
    def info(cls, subject: Any, holder_id: uuid.UUID) -> bytes:
        # str(UUID), with dashes: kept byte for byte from the first release.
        return f"amanat/org-key/{subject}/holder/{holder_id}".encode()

    @classmethod
    def justified(cls, reason: str, role: str) -> bool:
        return role in INDEX_KEY_ROLES  # it comes with the role, whatever the reason


class SealedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP device whose seed is stored wrapped to its owner's key pair.

    The seed can be read only with the private key that the password unlocks, so
    a copy of the database yields no second factors. Verification therefore
    takes the unlocked private key (accounts.second_factor.verify_totp).
    """

    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="+")
    sealed_seed = models.BinaryField()
    step = models.PositiveSmallIntegerField(default=30)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "TOTP device"

    def verify_token(self, token: object) -> bool:
        # Without the unlocked private key the seed cannot be read; the login
        # flow calls accounts.second_factor.verify_totp instead.
        return False

    def get_throttle_factor(self) -> int:
        return 1


class BackupCodes(ThrottlingMixin, Device):
    """One-time backup codes. Each is kept as an HMAC under a key wrapped to the
    owner's key pair, so a copy of the database cannot test guesses offline."""

    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="+")
    wrapped_key = models.BinaryField()
    digests = models.JSONField(default=list)  # HMACs of the codes not yet used

    class Meta(Device.Meta):
        verbose_name = "backup codes"

    def verify_token(self, token: object) -> bool:
        # Needs the unlocked private key: accounts.second_factor.verify_backup_code.
        return False

    def get_throttle_factor(self) -> int:
        return 1


class Notification(models.Model):
    """A content-free notice for one staff member: what kind of event, and an opaque id."""

    class Kind(models.TextChoices):
        NEW_REPORT = "new-report", _("A new report arrived")
        REPORTER_MESSAGE = "reporter-message", _("A reporter added information")
        ASSIGNED = "assigned", _("A case was assigned to you")

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject = models.UUIDField()
    # A day, not a time: a new-report notice is made within seconds of the report, and
    # the report itself keeps only its day (docs/THREAT_MODEL.md, section 3.4).
    created_on = models.DateField(default=timezone.localdate)
    # Read or not, never when: the first read follows a report by minutes.
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.staff_id}"


class Proposal(models.Model):
    """A change that grants access to content, waiting for a second person.

    It names what is asked (a new account and its role, a role, a reset) and who asked;
    it holds no password and no key. The approver supplies both when approving
    (accounts.approvals), so nothing proposed works before then.
    """

    class Kind(models.TextChoices):
        NEW_ACCOUNT = "new-account", _("New account")
        ROLE = "role", _("Role change")
        RESET = "reset", _("Password reset")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A new account's login; for the other kinds, the staff member concerned.
    username = models.CharField(max_length=64, blank=True)
    target = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    proposed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    # Empty when trustees approved with the recovery shares.
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} proposal {self.pk}"

    @property
    def needs_password(self) -> bool:
        return self.kind in (self.Kind.NEW_ACCOUNT, self.Kind.RESET)
