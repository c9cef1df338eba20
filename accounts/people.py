"""A coordinator's changes to staff. Access follows keys: a change of role grants or
revokes the index key; deactivating or resetting a password deletes every wrapping
the staff member held, so permissions and cryptography never disagree."""

from __future__ import annotations

from django.db import transaction
from django_otp_webauthn.models import WebAuthnCredential

import crypto
from audit import chain as audit
from audit.models import Action

from . import services
from .models import BackupCodes, KeyHolder, OrganisationKey, Role, SealedTOTPDevice, Staff


def _drop_wrappings(holder: KeyHolder) -> None:
    # Reverse relations reach the feature apps' wrappings without importing them.
    holder.report_keys.all().delete()
    holder.person_keys.all().delete()
    holder.org_keys.all().delete()


def change_role(
    coordinator: Staff, coordinator_key: crypto.PrivateKey, staff: Staff, role: str
) -> None:
    if role not in Role.values:
        raise ValueError("unknown role")
    index = OrganisationKey.Purpose.INDEX
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(role=role)
        has_index = OrganisationKey.objects.filter(purpose=index, holder=staff.holder).exists()
        if role in services.INDEX_KEY_ROLES and not has_index:
            key = services.open_org_key(index, coordinator.holder, coordinator_key)
            services.grant_org_key(index, key, staff.holder)
        elif role not in services.INDEX_KEY_ROLES and has_index:
            OrganisationKey.objects.filter(purpose=index, holder=staff.holder).delete()
        audit.record(audit.staff_actor(coordinator), Action.ROLE_CHANGED, [staff.pk])
    staff.role = role


def deactivate(coordinator: Staff, staff: Staff) -> None:
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(is_active=False)
        _drop_wrappings(staff.holder)
        audit.record(audit.staff_actor(coordinator), Action.KEY_REVOKED, [staff.pk])


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
        _drop_wrappings(old)
        old.delete()
        audit.record(audit.staff_actor(coordinator), Action.PASSWORD_RESET, [staff.pk])
