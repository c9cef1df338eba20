"""The demo organisation's staff accounts, in development only.

A demo password is derived from a random secret kept in data/ for this checkout (never
a fixed placeholder), so `manage.py demo` can show the passwords again and
`manage.py demo_code LOGIN` can unlock a demo account's private key with it and read
the account's sealed TOTP seed, as sign-in does. The seed itself is never written
anywhere in clear. Nothing here runs outside development.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from pathlib import Path

from django.conf import settings
from django_otp.oath import hotp

import crypto

from . import second_factor, services
from .models import Organisation, Role, SealedTOTPDevice, Staff

ORGANISATION_NAME = "Amanat demo"
STAFF = [
    ("coordinator", Role.COORDINATOR),
    ("intake", Role.INTAKE),
    ("caseworker", Role.CASEWORKER),
    ("reviewer", Role.REVIEWER),
    ("auditor", Role.AUDITOR),
]
LOGINS = [login for login, _role in STAFF]
SECRET_FILE = "demo_secret"  # noqa: S105 - the name of the file, not a secret


class Refused(Exception):
    """Not in development, or not a demo account: the message says which, and why."""


def require_development() -> None:
    if not settings.AMANAT_DEMO:
        raise Refused(
            "The demo organisation exists only in development mode "
            "(AMANAT_ENV=development, as `make run` sets it)."
        )


def _secret_path() -> Path:
    return Path(settings.DATA_DIR) / SECRET_FILE


def make_secret() -> None:
    """Create this checkout's demo secret (readable by its owner only) if it is missing."""
    require_development()
    path = _secret_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))


def has_secret() -> bool:
    return _secret_path().is_file()


def password(login: str) -> str:
    """The demo password of `login`, derived from this checkout's demo secret."""
    require_development()
    if not has_secret():
        raise Refused("This checkout has no demo organisation yet: run `manage.py demo` first.")
    secret = _secret_path().read_text().strip().encode()
    digest = hmac.new(secret, f"amanat/demo-password/{login}".encode(), hashlib.sha256)
    text = digest.hexdigest()
    return "-".join(text[i : i + 6] for i in range(0, 24, 6))


def is_demo_organisation() -> bool:
    return Organisation.objects.filter(name=ORGANISATION_NAME).exists() and has_secret()


def unlock(login: str) -> tuple[Staff, crypto.PrivateKey]:
    """A demo account and its private key, unlocked with its demo password."""
    require_development()
    if login not in LOGINS:
        raise Refused(f"{login!r} is not a demo account. Demo accounts: {', '.join(LOGINS)}.")
    if not is_demo_organisation():
        raise Refused(
            "There is no demo organisation here (or it was made before demo passwords "
            "could be shown again): stop the server, delete data/ and run `make run`."
        )
    staff = Staff.objects.select_related("holder").filter(username=login).first()
    if staff is None or not staff.is_active:
        raise Refused(f"{login!r} is not an active demo account.")
    try:
        return staff, services.unlock_private_key(staff, password(login))
    except services.WrongPassword:
        raise Refused(
            f"{login!r} is not a demo account: its password was changed or chosen by hand."
        ) from None


def current_code(login: str) -> str:
    """The TOTP code that signs `login` in now: the current time step's, or the next
    one's when the current step was already used (a code is accepted only once)."""
    staff, private_key = unlock(login)
    device = SealedTOTPDevice.objects.filter(user=staff, confirmed=True).first()
    if device is None:
        raise Refused(f"{login!r} has no authenticator app enrolled.")
    seed = second_factor.totp_seed(device, private_key)
    now_t = int(time.time()) // device.step + device.drift
    t = max(now_t, device.last_t + 1)
    if t > now_t + device.tolerance:
        raise Refused(f"{login!r} used a code moments ago: try again in {device.step} seconds.")
    return f"{hotp(seed, t, digits=device.digits):0{device.digits}d}"
