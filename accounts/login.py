"""Checking a staff password by unlocking the staff member's private key.

The password is never stored as a hash of its own: the only check is whether it
opens the Argon2id-locked key (64 MiB, 3 passes), which also yields the key the
session needs. Before any derivation, accounts.throttle admits the attempt (per
client, for all clients, per process) or it is refused as TryLater. A wrong password
does not lock the account (anyone could do that to anyone): it makes that
(account, client) pair wait, twice as long after each one. While a pair waits, its
attempts get the wrong-password answer after the same Argon2id on a decoy, so no
answer tells a slowed-down account from a wrong password or an unknown name.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext_lazy as _

import crypto
from audit import chain as audit
from audit.models import Action
from crypto import password as password_lock

from . import throttle
from .models import Staff

WRONG = _("Wrong username or password.")
TRY_LATER = _("Too many sign-in attempts right now. Wait a minute, then try again.")


class LoginRefused(Exception):
    """Wrong username or password (or a pair that must wait). The message is safe to show."""


class TryLater(LoginRefused):
    """Refused before any key derivation: too many attempts from this client or overall.
    Says nothing about the account, so it may be shown as it is."""


@lru_cache(maxsize=1)
def _decoy() -> bytes:
    """A locked key nobody can open: refusals cost the same Argon2id as a real check."""
    return password_lock.lock(crypto.PrivateKey.generate().to_bytes(), crypto.new_key().hex())


def _refuse_after_decoy(password: str, staff: Staff | None) -> LoginRefused:
    try:
        password_lock.unlock(_decoy(), password)
    except crypto.CryptoError:
        pass
    if staff is None:
        audit.record("unknown", Action.LOGIN_FAILED)
    else:
        audit.record(audit.staff_actor(staff), Action.LOGIN_FAILED, [staff.pk])
    return LoginRefused(WRONG)


def check_password(
    username: str, password: str, client: str = ""
) -> tuple[Staff, crypto.PrivateKey]:
    """The staff member and their unlocked key, or LoginRefused (TryLater before any
    Argon2id). `client` is throttle.client_of(request); "" groups callers with none."""
    try:
        with throttle.derivation_slot(client):
            return _check(username, password, client)
    except throttle.TooManyAttempts:
        raise TryLater(TRY_LATER) from None


def _check(username: str, password: str, client: str) -> tuple[Staff, crypto.PrivateKey]:
    found = Staff.objects.select_related("holder").filter(username=username).first()
    staff = found if found is not None and found.is_active else None
    with throttle.pair_turn(client, username) as may_try:
        if staff is None or not may_try:
            if may_try:  # an unknown name is slowed down like a known one
                throttle.wrong_password(client, username)
            raise _refuse_after_decoy(password, staff)
        try:
            raw = password_lock.unlock(bytes(staff.holder.locked_private_key or b""), password)
        except crypto.DecryptionError:
            throttle.wrong_password(client, username)
            audit.record(audit.staff_actor(staff), Action.LOGIN_FAILED, [staff.pk])
            raise LoginRefused(WRONG) from None
    throttle.right_password(client, username)
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
