"""Who may do what in the staff area, said one way.

- `staff_required`: a verified second factor, an unlocked key, and a session that is
  neither idle for 30 minutes nor older than 12 hours;
- `role_required(*roles)`: the same, and one of these roles (others get a 404, so a
  page's existence says nothing);
- `StepUpForm`: a form whose `code` field must hold a fresh second factor (now, or
  within five minutes), for key operations, assignments and staff changes.

Every staff view is wrapped by one of the two decorators, which mark it
(`ACCESS_ATTRIBUTE`); tests/test_authorization_matrix.py fails on a staff URL whose
view is not marked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeAlias

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

import crypto

from . import second_factor, session_keys
from .models import SealedTOTPDevice, Staff

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

IDLE_SECONDS = 30 * 60
MAX_SECONDS = 12 * 60 * 60
STEP_UP_SECONDS = 5 * 60
ACCESS_ATTRIBUTE = "staff_access"


class StaffRequest(HttpRequest):
    """A request that passed `staff_required`: a signed-in staff member and their key."""

    user: Staff
    private_key: crypto.PrivateKey


StaffView: TypeAlias = Callable[..., HttpResponseBase]


def end_session(request: HttpRequest, response: HttpResponseBase | None = None) -> HttpResponseBase:
    response = response or redirect(settings.LOGIN_URL)
    logout(request)  # flushes the session, and with it the sealed key
    session_keys.forget(request, response)
    return response


def session_key(request: HttpRequest) -> crypto.PrivateKey | None:
    """The private key of a verified staff session that is neither idle nor too old,
    or None. Pages redirect on None (staff_required); the passkey API answers 403."""
    user = request.user
    # OTPMiddleware adds is_verified: true once a second factor was checked this session.
    is_verified = getattr(user, "is_verified", None)
    if not user.is_authenticated or is_verified is None or not is_verified():
        return None
    now = time.time()
    started = request.session.get("login_at", 0)
    seen = request.session.get("last_seen", 0)
    if now - started > MAX_SECONDS or now - seen > IDLE_SECONDS:
        return None
    return session_keys.load(request, user.pk)


def _guard(view: StaffView, allowed: frozenset[str] | None) -> StaffView:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        key = session_key(request)
        if key is None:
            return end_session(request)
        request.session["last_seen"] = time.time()
        request.private_key = key  # type: ignore[attr-defined]
        staff: Staff = user  # authenticated, so a Staff
        match = request.resolver_match
        if staff.must_change_password and (match is None or match.view_name != "staff:password"):
            return redirect("staff:password")
        if allowed is not None and staff.role not in allowed:
            raise Http404
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTRIBUTE, sorted(allowed) if allowed is not None else "staff")
    return wrapped


def staff_required(view: StaffView) -> StaffView:
    """Any signed-in staff member (what they see is still limited by the keys they hold)."""
    return _guard(view, None)


def role_required(*roles: str) -> Callable[[StaffView], StaffView]:
    """A signed-in staff member with one of `roles`; anyone else gets a 404."""
    if not roles:
        raise ValueError("name at least one role")
    allowed = frozenset(roles)

    def decorator(view: StaffView) -> StaffView:
        return _guard(view, allowed)

    return decorator


def safe_next(request: HttpRequest) -> str:
    """Where to go back after a step-up: a staff page of this site, or nowhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = target.startswith("/staff/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else ""


def fresh_step_up(request: HttpRequest) -> bool:
    return time.time() - float(request.session.get("stepped_up_at", 0)) < STEP_UP_SECONDS


def mark_stepped_up(request: HttpRequest) -> None:
    request.session["stepped_up_at"] = time.time()


def stepped_up(request: StaffRequest, code: str) -> bool:
    """A fresh second factor (now, or within five minutes). A passkey confirmed on the
    security page (accounts.passkeys) opens the same five minutes."""
    if fresh_step_up(request):
        return True
    device = SealedTOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device and bool(second_factor.verify_totp(device, request.private_key, code or "")):
        mark_stepped_up(request)
        return True
    return False


class StepUpForm(forms.Form):
    """A form that is valid only with a fresh second factor. The code is checked last,
    once every other field is valid, so a typing mistake elsewhere spends no code."""

    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=8, required=False
    )
    step_up_error: _StrOrPromise = _(
        "This needs a fresh code from your authenticator app (or a passkey)."
    )

    def __init__(self, request: StaffRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        # The code is typed last, just before sending.
        self.order_fields([name for name in self.fields if name != "code"] + ["code"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not stepped_up(self.request, data.get("code", "")):
            self.add_error("code", self.step_up_error)
        return data
