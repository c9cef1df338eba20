"""Secrets (a staff member's private key) locked under a password with Argon2id.

Locked layout: header (5) | Argon2id params (12) | salt (16) | nonce (12) | ciphertext | tag.
Header, parameters and salt are authenticated, so they cannot be swapped or lowered.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import header
from .errors import DecryptionError, FormatError
from .kdf import (
    PASSWORD_DEFAULT,
    PASSWORD_FLOOR,
    SALT_SIZE,
    Argon2Params,
    derive,
    normalise_password,
)

_ALG = header.ALG_ARGON2ID_AES256GCM
_NONCE = 12
_PREFIX = header.SIZE + Argon2Params.SIZE + SALT_SIZE


def lock(secret: bytes, password: str | bytes, params: Argon2Params = PASSWORD_DEFAULT) -> bytes:
    """Encrypt secret under a key derived from password."""
    salt = os.urandom(SALT_SIZE)
    key = derive(normalise_password(password), salt, params, PASSWORD_FLOOR)
    prefix = header.make(header.LOCKED, _ALG) + params.to_bytes() + salt
    nonce = os.urandom(_NONCE)
    return prefix + nonce + AESGCM(key).encrypt(nonce, secret, prefix)


def unlock(locked: bytes, password: str | bytes) -> bytes:
    """Recover the secret; DecryptionError for a wrong password or altered bytes."""
    header.check(locked, header.LOCKED, _ALG)
    if len(locked) < _PREFIX + _NONCE + 16:
        raise FormatError("password-locked secret is too short")
    params = Argon2Params.from_bytes(locked[header.SIZE : header.SIZE + Argon2Params.SIZE])
    salt = locked[header.SIZE + Argon2Params.SIZE : _PREFIX]
    key = derive(normalise_password(password), salt, params, PASSWORD_FLOOR)
    nonce = locked[_PREFIX : _PREFIX + _NONCE]
    try:
        return AESGCM(key).decrypt(nonce, locked[_PREFIX + _NONCE :], locked[:_PREFIX])
    except InvalidTag:
        raise DecryptionError("wrong password, or the locked secret was altered") from None


def params_of(locked: bytes) -> Argon2Params:
    """The Argon2id parameters a locked secret was made with (to decide on re-locking)."""
    header.check(locked, header.LOCKED, _ALG)
    return Argon2Params.from_bytes(locked[header.SIZE : header.SIZE + Argon2Params.SIZE])
