"""The register of recipients: who exports may go to, kept by coordinators.

Each name is sealed under the register's key (an organisation key of its own, wrapped
to the roles that draft exports and to the recovery key, never derived from a server
secret); its kind and whether it is in use are in clear. An installation made before
the register gets its key from the first coordinator who opens it (ensure_key).
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field

from django.db import transaction

import crypto
from accounts import keyring
from accounts import services as accounts
from accounts.models import (
    INDEX_KEY_ROLES,
    Organisation,
    OrganisationKey,
    Reason,
    Role,
    Staff,
)
from audit import chain as audit
from audit.models import Action

from .models import Recipient

REGISTER = OrganisationKey.Purpose.REGISTER
NAME_MAX = 200


class NoKey(Exception):
    """The staff member holds no wrapping of the register's key."""


@dataclass(frozen=True)
class Entry:
    id: uuid.UUID
    kind: str
    name: str = field(repr=False)
    active: bool
    readable: bool = True  # False: its name did not open (altered, or another key's)


def _aad(recipient_id: uuid.UUID) -> bytes:
    return crypto.associated_data("disclosure.recipient", recipient_id.hex, "name", 1)


def key(staff: Staff, private_key: crypto.PrivateKey) -> bytes:
    try:
        return accounts.open_org_key(REGISTER, staff.holder, private_key)
    except keyring.NoAccess:
        raise NoKey("no wrapping of the register's key") from None


def ensure_key(coordinator: Staff, private_key: crypto.PrivateKey) -> bytes:
    """The register's key; made by the first coordinator of an installation that has
    none, and wrapped at once to every active staff member of the drafting roles and to
    the recovery key (their public keys suffice)."""
    try:
        return key(coordinator, private_key)
    except NoKey:
        if coordinator.role != Role.COORDINATOR:
            raise
    made = crypto.new_key()
    with transaction.atomic():
        # One key only: two coordinators (or one double click) making it at once are put
        # one after the other by the organisation's row, and the second finds the first's.
        organisation = accounts.organisation()
        list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk"))
        if OrganisationKey.objects.filter(purpose=REGISTER).exists():
            return key(coordinator, private_key)
        staff = Staff.objects.select_related("holder").filter(
            is_active=True, role__in=INDEX_KEY_ROLES
        )
        holders = [member.holder for member in staff]
        holders.append(organisation.recovery_holder)
        # New rows only (one per holder and purpose): never a silent overwrite.
        keyring.grant_new(OrganisationKey, REGISTER, made, [(h, Reason.ROLE) for h in holders])
        for holder in holders:
            audit.record(audit.staff_actor(coordinator), Action.KEY_GRANTED, [holder.pk])
    return made


def add(coordinator: Staff, private_key: crypto.PrivateKey, kind: str, name: str) -> Recipient:
    """A new entry; NoKey without the register's key, ValueError for a name clean_name
    refuses."""
    name = clean_name(name)
    register = ensure_key(coordinator, private_key)
    recipient = Recipient(kind=kind)
    recipient.sealed_name = crypto.seal(register, name.encode(), _aad(recipient.id))
    with transaction.atomic():
        recipient.save()
        audit.record(audit.staff_actor(coordinator), Action.RECIPIENTS_CHANGED, [recipient.id])
    return recipient


def set_active(coordinator: Staff, recipient_id: uuid.UUID, active: bool) -> bool:
    with transaction.atomic():
        changed = Recipient.objects.filter(id=recipient_id).update(active=active)
        if changed:
            actor = audit.staff_actor(coordinator)
            audit.record(actor, Action.RECIPIENTS_CHANGED, [recipient_id])
    return bool(changed)


def entries(staff: Staff, private_key: crypto.PrivateKey, only_active: bool = True) -> list[Entry]:
    """The register in the staff member's hands, by kind then name; NoKey without it."""
    register = key(staff, private_key)
    rows = Recipient.objects.all()
    if only_active:
        rows = rows.filter(active=True)
    out = []
    for row in rows:
        try:
            name = crypto.open_(register, bytes(row.sealed_name), _aad(row.id)).decode()
        except (crypto.DecryptionError, UnicodeDecodeError):
            # One altered row must not take the register down; it can still be retired.
            out.append(Entry(row.id, row.kind, "", row.active, readable=False))
            continue
        out.append(Entry(row.id, row.kind, name, row.active))
    return sorted(out, key=lambda e: (e.kind, e.name.casefold(), e.id))


def clean_name(name: str) -> str:
    """A name as it will be sealed: NFC, trimmed; ValueError if it holds a control or
    format character (a right-to-left override would make one recipient look like
    another on the export and on the family's page)."""
    name = unicodedata.normalize("NFC", name).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in name):
        raise ValueError("control or format character in a recipient's name")
    return name
