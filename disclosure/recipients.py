"""The register of recipients: who exports may go to, kept by coordinators.

Each name is sealed under the register's key (an organisation key of its own, wrapped
to the roles that draft exports and to the recovery key, never derived from a server
secret); its kind and whether it is in use are in clear. An installation made before
the register gets its key from the first coordinator who opens it (ensure_key).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction

import crypto
from accounts import keyring
from accounts import services as accounts
from accounts.models import INDEX_KEY_ROLES, OrganisationKey, Role, Staff
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
        if (
            coordinator.role != Role.COORDINATOR
            or OrganisationKey.objects.filter(purpose=REGISTER).exists()
        ):
            raise
    made = crypto.new_key()
    with transaction.atomic():
        holders = [
            s.holder
            for s in Staff.objects.select_related("holder").filter(
                is_active=True, role__in=INDEX_KEY_ROLES
            )
        ]
        holders.append(accounts.organisation().recovery_holder)
        for holder in holders:
            accounts.grant_org_key(REGISTER, made, holder)
            audit.record(audit.staff_actor(coordinator), Action.KEY_GRANTED, [holder.pk])
    return made


def add(coordinator: Staff, private_key: crypto.PrivateKey, kind: str, name: str) -> Recipient:
    register = ensure_key(coordinator, private_key)
    recipient = Recipient(kind=kind)
    recipient.sealed_name = crypto.seal(register, name.strip().encode(), _aad(recipient.id))
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
    out = [
        Entry(
            r.id,
            r.kind,
            crypto.open_(register, bytes(r.sealed_name), _aad(r.id)).decode(),
            r.active,
        )
        for r in rows
    ]
    return sorted(out, key=lambda e: (e.kind, e.name.casefold(), e.id))
