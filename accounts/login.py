"""Checking a staff password by unlocking the staff member's private key.

The password is never stored as a hash of its own: the only check is whether it
opens the Argon2id-locked key (64 MiB, 3 passes), which also yields the key the
session needs. Repeated failures lock the account for a while; nothing about the
client (no address) is kept.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from django.contrib.auth import password_validation
from django.db import transaction
from django.db.models import F
from django.utils import timezone

import crypto
from audit import chain as audit
from audit.models import Action
from crypto import password as password_lock

from .models import Staff

LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)


class LoginRefused(Exception):
    """Wrong username or password, or the account is locked. The message is safe to show."""


class AccountLocked(LoginRefused):
    """Too many wrong passwords: refused whatever the password, for a while."""


@lru_cache(maxsize=1)
def _decoy() -> bytes:
    """A locked key nobody can open: unknown usernames cost the same Argon2id."""
    return password_lock.lock(crypto.PrivateKey.generate().to_bytes(), crypto.new_key().hex())


def check_password(username: str, password: str) -> tuple[Staff, crypto.PrivateKey]:
    staff = Staff.objects.select_related("holder").filter(username=username).first()
    if staff is None or not staff.is_active:
        try:
            password_lock.unlock(_decoy(), password)
        except crypto.CryptoError:
            pass
        audit.record("unknown", Action.LOGIN_FAILED)
        raise LoginRefused("Wrong username or password.")
    now = timezone.now()
    if staff.locked_until and staff.locked_until > now:
        audit.record(audit.staff_actor(staff), Action.LOGIN_FAILED, [staff.pk])
        raise AccountLocked("Too many wrong passwords. This account is locked for a while.")
    try:
        raw = password_lock.unlock(bytes(staff.holder.locked_private_key), password)
    except crypto.DecryptionError:
        with transaction.atomic():
            Staff.objects.filter(pk=staff.pk).update(failed_logins=F("failed_logins") + 1)
            staff.refresh_from_db(fields=["failed_logins"])
            if staff.failed_logins >= LOCK_AFTER:
                Staff.objects.filter(pk=staff.pk).update(
                    locked_until=now + LOCK_FOR, failed_logins=0
                )
            audit.record(audit.staff_actor(staff), Action.LOGIN_FAILED, [staff.pk])
        raise LoginRefused("Wrong username or password.") from None
    Staff.objects.filter(pk=staff.pk).update(failed_logins=0, locked_until=None)
    audit.record(audit.staff_actor(staff), Action.KEY_UNLOCKED, [staff.holder_id])
    return staff, crypto.PrivateKey.from_bytes(raw)


def change_password(staff: Staff, private_key: crypto.PrivateKey, new_password: str) -> None:
    """Re-lock the same private key under a new password (access is unchanged).

    Raises django.core.exceptions.ValidationError for a weak password.
    """
    password_validation.validate_password(new_password, staff)
    with transaction.atomic():
        staff.holder.locked_private_key = password_lock.lock(private_key.to_bytes(), new_password)
        staff.holder.save(update_fields=["locked_private_key"])
        staff.must_change_password = False
        staff.save(update_fields=["must_change_password"])
        audit.record(audit.staff_actor(staff), Action.PASSWORD_CHANGED, [staff.pk])
