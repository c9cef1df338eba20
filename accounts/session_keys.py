"""A staff member's unlocked private key, for the length of a session only.

Split knowledge (docs/KEYS.md): the private key is sealed under a random key that
lives only in the staff member's cookie; the sealed blob lives in the
server-side session. The session store alone, or the cookie alone, opens
nothing. Logging out or expiry deletes both halves.
"""

from __future__ import annotations

import base64
import os

from django.conf import settings

import crypto

COOKIE = "amanat_sk"
SESSION_FIELD = "sealed_private_key"


def _aad(staff_pk: int) -> bytes:
    return crypto.associated_data("accounts.session-key", staff_pk, 1)


def keep(request, response, staff_pk: int, private_key: crypto.PrivateKey) -> None:
    cookie_key = os.urandom(32)
    sealed = crypto.seal(cookie_key, private_key.to_bytes(), _aad(staff_pk))
    request.session[SESSION_FIELD] = base64.b64encode(sealed).decode()
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(cookie_key).decode(),
        max_age=None,  # gone when the browser closes
        path="/staff/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def load(request, staff_pk: int) -> crypto.PrivateKey | None:
    """The private key, or None if either half is missing or does not fit."""
    sealed = request.session.get(SESSION_FIELD)
    cookie = request.COOKIES.get(COOKIE)
    if not sealed or not cookie:
        return None
    try:
        cookie_key = base64.urlsafe_b64decode(cookie.encode())
        raw = crypto.open_(cookie_key, base64.b64decode(sealed), _aad(staff_pk))
    except (ValueError, crypto.CryptoError):
        return None
    return crypto.PrivateKey.from_bytes(raw)


def forget(request, response) -> None:
    request.session.pop(SESSION_FIELD, None)
    response.delete_cookie(COOKIE, path="/staff/", samesite="Strict")
