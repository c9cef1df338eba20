"""A coordinator's changes to staff. Access follows keys: a change of role drops the
wrappings the new role does not justify and grants or drops the index key;
deactivating or resetting a password deletes every wrapping the staff member held,
so permissions and cryptography never disagree. All through accounts.keyring."""

from __future__ import annotations

from django.db import transaction
from django_otp_webauthn.models import WebAuthnCredential

import crypto
from audit import chain as audit
from audit.models import Action

from . import keyring, services
from .models import INDEX_KEY_ROLES, BackupCodes, OrganisationKey, Role, SealedTOTPDevice, Staff


def _record_dropped(coordinator: Staff, staff: Staff, dropped: list[object]) -> None:
    # Opaque ids only: the reports and persons dropped (an index key is named by the
    # holder it was wrapped to, as its grant is).
    subjects = [s if not isinstance(s, str) else staff.holder_id for s in dropped]
    if subjects:
        audit.record(audit.staff_actor(coordinator), Action.KEY_REVOKED, [staff.pk, *subjects])


def change_role(
    coordinator: Staff, coordinator_key: crypto.PrivateKey, staff: Staff, role: str
) -> None:
    """The new role keeps what it justifies (individually granted cases always; what
    came with intake only in intake; the index key only in its roles), in one
    transaction with the change. Moving to intake grants no past reports."""
    if role not in Role.values:
        raise ValueError("unknown role")
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(role=role)
        audit.record(audit.staff_actor(coordinator), Action.ROLE_CHANGED, [staff.pk])
        _record_dropped(coordinator, staff, keyring.drop_unjustified(staff.holder_id, role))
        index = OrganisationKey.Purpose.INDEX
        if role in INDEX_KEY_ROLES and not keyring.holds(OrganisationKey, index, staff.holder_id):
            # Checked first, as before: a coordinator without it cannot give the role.
            services.open_org_key(index, coordinator.holder, coordinator_key)
        if role in INDEX_KEY_ROLES and services.grant_role_keys(
            coordinator.holder, coordinator_key, staff.holder
        ):
            audit.record(audit.staff_actor(coordinator), Action.KEY_GRANTED, [staff.holder_id])
    staff.role = role


def deactivate(coordinator: Staff, staff: Staff) -> None:
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(is_active=False)
        keyring.drop(staff.holder_id)
        audit.record(audit.staff_actor(coordinator), Action.STAFF_DEACTIVATED, [staff.pk])


def reset_password(coordinator: Staff, staff: Staff, new_password: str) -> None:
    """A new key pair under the new password. The old key (and everything wrapped to
    it, and the second factors sealed to it) is gone: access is granted again by
    someone who holds it, or with `manage.py recover`."""
    with transaction.atomic():
        old = staff.holder
        staff.holder = services.new_staff_holder(new_password)
        staff.failed_logins, staff.locked_until = 0, None
        staff.must_change_password = True  # the coordinator knows this one
        staff.save(
            update_fields=["holder", "failed_logins", "locked_until", "must_change_password"]
        )
        SealedTOTPDevice.objects.filter(user=staff).delete()
        BackupCodes.objects.filter(user=staff).delete()
        # Passkeys hold nothing sealed, but a reset starts the second factors afresh too.
        WebAuthnCredential.objects.filter(user=staff).delete()
        keyring.drop(old.pk)
        old.delete()
        audit.record(audit.staff_actor(coordinator), Action.PASSWORD_RESET, [staff.pk])
