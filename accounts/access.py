"""Who may enter the staff area: a verified second factor, an unlocked key, and a
session that is neither idle for 30 minutes nor older than 12 hours."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from . import session_keys

IDLE_SECONDS = 30 * 60
MAX_SECONDS = 12 * 60 * 60


def end_session(request, response=None):
    response = response or redirect(settings.LOGIN_URL)
    logout(request)  # flushes the session, and with it the sealed key
    session_keys.forget(request, response)
    return response


def staff_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or not user.is_verified():
            return redirect(settings.LOGIN_URL)
        now = time.time()
        started = request.session.get("login_at", 0)
        seen = request.session.get("last_seen", 0)
        if now - started > MAX_SECONDS or now - seen > IDLE_SECONDS:
            return end_session(request)
        key = session_keys.load(request, user.pk)
        if key is None:
            return end_session(request)
        request.session["last_seen"] = now
        request.private_key = key
        return view(request, *args, **kwargs)

    return wrapped
