"""The state between the password step and the second factor, and the end of sign-in.

Every second factor (TOTP, backup code, passkey) finishes through `finish`, so a
session is marked, audited and verified the same way whichever factor was used.
"""

from __future__ import annotations

import time

from django.contrib.auth import login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_otp import login as otp_login
from django_otp.models import Device

import crypto
from audit import chain as audit
from audit.models import Action

from . import session_keys
from .models import Staff

PENDING = "pending_staff"
PENDING_SECONDS = 300


def start(
    request: HttpRequest, response: HttpResponseBase, staff: Staff, key: crypto.PrivateKey
) -> None:
    """The password was right: remember who is half signed in, and keep their key."""
    request.session.cycle_key()
    request.session[PENDING] = staff.pk
    request.session["pending_at"] = time.time()
    session_keys.keep(request, response, staff.pk, key)


def pending(request: HttpRequest) -> tuple[Staff | None, crypto.PrivateKey | None]:
    """The staff member between password and second factor, with their key."""
    pk = request.session.get(PENDING)
    if pk is None or time.time() - request.session.get("pending_at", 0) > PENDING_SECONDS:
        return None, None
    staff = Staff.objects.select_related("holder").filter(pk=pk, is_active=True).first()
    key = session_keys.load(request, pk) if staff else None
    return (staff, key) if key else (None, None)


def finish(request: HttpRequest, staff: Staff, device: Device) -> None:
    """The second factor was right: sign in, verified by `device`."""
    login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session.pop(PENDING, None)
    request.session["login_at"] = request.session["last_seen"] = time.time()
    audit.record(audit.staff_actor(staff), Action.LOGIN, [staff.pk])
