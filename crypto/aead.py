"""Sealing records and fields with AES-256-GCM under a data key.

Sealed layout: header (5) | nonce (12) | ciphertext | tag (16).
The header is authenticated together with the caller's associated data, which
binds the ciphertext to its place (table, row, field, schema version).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import header
from .errors import DecryptionError, FormatError

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16

_HEADER = header.make(header.SEALED, header.ALG_AES256GCM)
_PREFIX = header.SIZE + NONCE_SIZE
OVERHEAD = _PREFIX + TAG_SIZE


def new_key() -> bytes:
    """A fresh random 256-bit data key."""
    return os.urandom(KEY_SIZE)


def associated_data(*parts: str | bytes | int) -> bytes:
    """Encode the parts that name a ciphertext's place, unambiguously.

    Each part is length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    """
    out = bytearray()
    for part in parts:
        if isinstance(part, int):
            part = str(part)
        raw = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


def _cipher(key: bytes) -> AESGCM:
    if len(key) != KEY_SIZE:
        raise ValueError("a data key must be 32 bytes")
    return AESGCM(key)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt plaintext under key, bound to aad."""
    cipher = _cipher(key)
    nonce = os.urandom(NONCE_SIZE)
    out = bytearray(_PREFIX + len(plaintext) + TAG_SIZE)
    out[: header.SIZE] = _HEADER
    out[header.SIZE : _PREFIX] = nonce
    # Encrypting in place into the output avoids copying a large record twice.
    cipher.encrypt_into(nonce, plaintext, _HEADER + aad, memoryview(out)[_PREFIX:])
    return bytes(out)


def open_(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    """Decrypt what seal() produced; raise DecryptionError on any mismatch."""
    cipher = _cipher(key)
    view = memoryview(sealed)
    header.check(view, header.SEALED, header.ALG_AES256GCM)
    if len(view) < OVERHEAD:
        raise FormatError("sealed record is too short")
    nonce = bytes(view[header.SIZE : _PREFIX])
    try:
        return cipher.decrypt(nonce, view[_PREFIX:], _HEADER + aad)
    except InvalidTag:
        raise DecryptionError(
            "sealed record failed authentication (wrong key, wrong place, or altered)"
        ) from None
