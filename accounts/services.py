"""Key holders, staff and the organisation: the write logic, kept out of views.

Every function takes the keys it needs as arguments; nothing here keeps a
private key beyond the call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction

import crypto
from audit import chain as audit
from audit.models import Action
from crypto import password as password_lock
from crypto import recovery
from crypto.blind import INDEX_KEY_SIZE

from . import keyring
from .models import INDEX_KEY_ROLES as INDEX_KEY_ROLES  # named here first
from .models import KeyHolder, Organisation, OrganisationKey, Reason, Role, Staff


class AlreadyBootstrapped(Exception):
    """The organisation exists; bootstrap runs once."""


class NotBootstrapped(Exception):
    """No organisation yet: run `manage.py bootstrap` first."""


class WrongPassword(Exception):
    """The password does not unlock this staff member's key."""


@dataclass
class BootstrapResult:
    organisation: Organisation
    coordinator: Staff
    shares: list[str]


def _holder_for(private_key: crypto.PrivateKey, kind: str, locked: bytes | None) -> KeyHolder:
    public = private_key.public_key()
    return KeyHolder.objects.create(
        kind=kind,
        public_key=public.to_bytes(),
        fingerprint=public.fingerprint(),
        locked_private_key=locked,
    )


def new_staff_holder(password: str) -> KeyHolder:
    """A fresh key pair for a staff member, its private key locked under password."""
    private_key = crypto.PrivateKey.generate()
    locked = password_lock.lock(private_key.to_bytes(), password)
    return _holder_for(private_key, KeyHolder.Kind.STAFF, locked)


def org_key_info(purpose: str, holder: KeyHolder) -> bytes:
    """HPKE info for an organisation key: names the key and the holder it is for."""
    return OrganisationKey.info(purpose, holder.pk)


def grant_org_key(purpose: str, key: bytes, holder: KeyHolder) -> None:
    """An organisation key comes with a role (or is the recovery key's own copy)."""
    keyring.grant(OrganisationKey, purpose, key, holder, Reason.ROLE)


def open_org_key(purpose: str, holder: KeyHolder, private_key: crypto.PrivateKey) -> bytes:
    """Raises keyring.NoAccess when holder has no wrapping of it or the key does not open it."""
    return keyring.open_key(OrganisationKey, purpose, holder.pk, private_key)


def grant_role_keys(granter: KeyHolder, granter_key: crypto.PrivateKey, holder: KeyHolder) -> bool:
    """Wrap for `holder` every organisation key the granter holds and the holder does
    not (the index key, the recipient register's key). True if any was granted."""
    granted = False
    for row in OrganisationKey.objects.filter(holder=granter).order_by("purpose"):
        if keyring.holds(OrganisationKey, row.purpose, holder.pk):
            continue
        grant_org_key(row.purpose, keyring.unwrap(row, granter_key), holder)
        granted = True
    return granted


def create_staff(username: str, role: str, password: str) -> Staff:
    """A staff member with a fresh key pair locked under their password.

    Raises django.core.exceptions.ValidationError for a weak password.
    """
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    candidate = Staff(username=username, role=role)
    password_validation.validate_password(password, candidate)
    with transaction.atomic():
        candidate.holder = new_staff_holder(password)
        # The password is checked by unlocking the key (accounts.login), never by a hash.
        candidate.set_unusable_password()
        candidate.save()
    return candidate


def unlock_private_key(staff: Staff, password: str) -> crypto.PrivateKey:
    """The staff member's private key, unlocked with their password."""
    try:
        raw = password_lock.unlock(bytes(staff.holder.locked_private_key), password)
    except crypto.DecryptionError:
        raise WrongPassword("the password does not unlock this key") from None
    return crypto.PrivateKey.from_bytes(raw)


def organisation() -> Organisation:
    org = Organisation.objects.select_related("recovery_holder").first()
    if org is None:
        raise NotBootstrapped("run `manage.py bootstrap` to create the organisation")
    return org


def bootstrap(
    org_name: str, username: str, password: str, threshold: int = 3, share_count: int = 5
) -> BootstrapResult:
    """Create the organisation: recovery key (shares returned, never stored), the
    first coordinator, and the blind-index key wrapped to both."""
    if Organisation.objects.exists():
        raise AlreadyBootstrapped("this installation already has an organisation")
    recovery_key, shares = recovery.generate(threshold, share_count)
    index_key = os.urandom(INDEX_KEY_SIZE)
    register_key = crypto.new_key()
    try:
        with transaction.atomic():
            recovery_holder = _holder_for(recovery_key, KeyHolder.Kind.RECOVERY, None)
            org = Organisation.objects.create(
                name=org_name,
                recovery_holder=recovery_holder,
                recovery_threshold=threshold,
                recovery_share_count=share_count,
            )
            coordinator = create_staff(username, Role.COORDINATOR, password)
            for purpose, key in (
                (OrganisationKey.Purpose.INDEX, index_key),
                (OrganisationKey.Purpose.REGISTER, register_key),
            ):
                grant_org_key(purpose, key, coordinator.holder)
                grant_org_key(purpose, key, recovery_holder)
            audit.record("system", Action.ORGANISATION_CREATED, [org.pk, coordinator.pk])
    except IntegrityError:
        # Another bootstrap won the race for the single organisation row.
        raise AlreadyBootstrapped("this installation already has an organisation") from None
    return BootstrapResult(organisation=org, coordinator=coordinator, shares=shares)


def add_staff(
    username: str,
    role: str,
    password: str,
    granter: Staff,
    granter_key: crypto.PrivateKey,
    *,
    must_change_password: bool = False,
) -> Staff:
    """A new staff member; roles that triage get the index key from the granter.
    must_change_password: the granter chose the password, so the new member replaces
    it before anything else."""
    if role in INDEX_KEY_ROLES:
        # Checked first: a granter without the index key cannot onboard a triaging role.
        open_org_key(OrganisationKey.Purpose.INDEX, granter.holder, granter_key)
    with transaction.atomic():
        staff = create_staff(username, role, password)
        if must_change_password:
            staff.must_change_password = True
            staff.save(update_fields=["must_change_password"])
        audit.record(audit.staff_actor(granter), Action.STAFF_CREATED, [staff.pk])
        if role in INDEX_KEY_ROLES and grant_role_keys(granter.holder, granter_key, staff.holder):
            audit.record(audit.staff_actor(granter), Action.KEY_GRANTED, [staff.holder_id])
    return staff
