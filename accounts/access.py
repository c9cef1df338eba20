"""Who may enter the staff area: a verified second factor, an unlocked key, and a
session that is neither idle for 30 minutes nor older than 12 hours."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

import crypto

from . import second_factor, session_keys
from .models import SealedTOTPDevice

IDLE_SECONDS = 30 * 60
MAX_SECONDS = 12 * 60 * 60


def end_session(request, response=None):
    response = response or redirect(settings.LOGIN_URL)
    logout(request)  # flushes the session, and with it the sealed key
    session_keys.forget(request, response)
    return response


def session_key(request: HttpRequest) -> crypto.PrivateKey | None:
    """The private key of a verified staff session that is neither idle nor too old,
    or None. Pages redirect on None (staff_required); the passkey API answers 403."""
    user = request.user
    if not user.is_authenticated or not user.is_verified():
        return None
    now = time.time()
    started = request.session.get("login_at", 0)
    seen = request.session.get("last_seen", 0)
    if now - started > MAX_SECONDS or now - seen > IDLE_SECONDS:
        return None
    return session_keys.load(request, user.pk)


def staff_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        key = session_key(request)
        if key is None:
            return end_session(request)
        request.session["last_seen"] = time.time()
        request.private_key = key
        if user.must_change_password and request.resolver_match.view_name != "staff:password":
            return redirect("staff:password")
        return view(request, *args, **kwargs)

    return wrapped


STEP_UP_SECONDS = 5 * 60


def safe_next(request: HttpRequest) -> str:
    """Where to go back after a step-up: a staff page of this site, or nowhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = target.startswith("/staff/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else ""


def fresh_step_up(request: HttpRequest) -> bool:
    return time.time() - request.session.get("stepped_up_at", 0) < STEP_UP_SECONDS


def mark_stepped_up(request: HttpRequest) -> None:
    request.session["stepped_up_at"] = time.time()


def stepped_up(request, code: str) -> bool:
    """A fresh second factor (now, or within five minutes) before key operations,
    assignments and exports. A passkey confirmed on the security page
    (accounts.passkeys) opens the same five minutes."""
    if fresh_step_up(request):
        return True
    device = SealedTOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device and second_factor.verify_totp(device, request.private_key, code or ""):
        mark_stepped_up(request)
        return True
    return False
