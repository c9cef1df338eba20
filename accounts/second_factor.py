"""Second factors whose secrets are wrapped to their owner's key pair.

TOTP seeds and the key behind the backup codes can be read only with the private
key the password unlocks, so a copy of the database yields no second factor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time

import segno
from django.db import transaction
from django_otp.oath import TOTP

import crypto

from .models import BackupCodes, KeyHolder, SealedTOTPDevice, Staff

TOTP_SEED_SIZE = 20
BACKUP_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def totp_info(holder: KeyHolder) -> bytes:
    return f"amanat/totp-seed/holder/{holder.pk}".encode()


def backup_info(holder: KeyHolder) -> bytes:
    return f"amanat/backup-codes/holder/{holder.pk}".encode()


def enrol_totp(staff: Staff, confirmed: bool = False) -> tuple[SealedTOTPDevice, str]:
    """A TOTP device for staff; returns it and its base32 seed (to show once)."""
    seed = os.urandom(TOTP_SEED_SIZE)
    device = SealedTOTPDevice.objects.create(
        user=staff,
        name="Authenticator app",
        confirmed=confirmed,
        holder=staff.holder,
        sealed_seed=crypto.wrap(seed, staff.holder.public, totp_info(staff.holder)),
    )
    return device, base64.b32encode(seed).decode("ascii")


def totp_seed(device: SealedTOTPDevice, private_key: crypto.PrivateKey) -> bytes:
    return crypto.unwrap(bytes(device.sealed_seed), private_key, totp_info(device.holder))


def totp_uri(staff: Staff, seed: bytes) -> str:
    secret = base64.b32encode(seed).decode("ascii").rstrip("=")
    return (
        f"otpauth://totp/Amanat:{staff.username}?secret={secret}&issuer=Amanat&digits=6&period=30"
    )


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG, made here: no image from anywhere else."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def verify_totp(device: SealedTOTPDevice, private_key: crypto.PrivateKey, token: str) -> bool:
    """Check a TOTP code with the seed the unlocked private key opens.

    The device row is read again under a row lock, in a transaction, so two requests
    with the same code are checked one after the other and the second sees the time
    step the first used up (as django_otp.verify_token does). `device` is updated.
    """
    token = token.strip()
    well_formed = token.isdigit() and len(token) == device.digits
    seed = totp_seed(device, private_key) if well_formed else b""
    with transaction.atomic():
        locked = SealedTOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_is_allowed()[0]:
            return False
        ok = False
        if well_formed:
            totp = TOTP(seed, locked.step, 0, locked.digits, locked.drift)
            totp.time = time.time()
            ok = totp.verify(int(token), locked.tolerance, locked.last_t + 1)
        if ok:
            locked.last_t = totp.t()
            locked.throttle_reset(commit=False)
            locked.set_last_used_timestamp(commit=False)
            locked.save()
        else:
            locked.throttle_increment(commit=True)
    device.refresh_from_db()
    return bool(ok)


def _digest(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch in _ALPHABET)


def make_backup_codes(staff: Staff) -> list[str]:
    """New one-time codes (replacing any old ones); returns them to show once."""
    key = crypto.new_key()
    codes = [
        "".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(BACKUP_CODE_COUNT)
    ]
    BackupCodes.objects.filter(user=staff).delete()
    BackupCodes.objects.create(
        user=staff,
        name="Backup codes",
        holder=staff.holder,
        wrapped_key=crypto.wrap(key, staff.holder.public, backup_info(staff.holder)),
        digests=[_digest(key, code) for code in codes],
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def verify_backup_code(
    staff: Staff, private_key: crypto.PrivateKey, typed: str
) -> BackupCodes | None:
    """Use up a backup code; returns its device when the code was valid and unused.

    Checked and used up under a row lock, in a transaction: two requests with the same
    code cannot both see it unused.
    """
    with transaction.atomic():
        device: BackupCodes | None = (
            BackupCodes.objects.select_for_update().filter(user=staff).first()
        )
        if device is None or not device.verify_is_allowed()[0]:
            return None
        key = crypto.unwrap(bytes(device.wrapped_key), private_key, backup_info(device.holder))
        digest = _digest(key, _normalise_code(typed))
        if digest not in device.digests:
            device.throttle_increment(commit=True)
            return None
        device.digests = [d for d in device.digests if d != digest]
        device.throttle_reset(commit=False)
        device.save()
    return device
