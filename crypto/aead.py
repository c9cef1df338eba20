"""Sealing records and fields with AES-256-GCM under a data key.

Sealed layout: header (5) | nonce (12) | ciphertext | tag (16).
The header is authenticated together with the caller's associated data, which
binds the ciphertext to its place (table, row, field, schema version).
"""

from __future__ import annotations

import io
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
# From this size on, seal() encrypts straight into the buffer it returns (see there).
_IN_PLACE_MIN = 64 * 1024


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
    if len(plaintext) < _IN_PLACE_MIN:
        return _HEADER + nonce + cipher.encrypt(nonce, plaintext, _HEADER + aad)
    # A large record is encrypted straight into the bytes object returned, so that it
    # is allocated and written once, as by AESGCM.encrypt itself: a BytesIO made from a
    # bytes object no one else holds writes into it in place, and getvalue() hands it
    # back without copying once no view of it is left. (A bytearray followed by
    # bytes(out) costs a second allocation and copy of the whole record.)
    out = io.BytesIO(bytes(_PREFIX + len(plaintext) + TAG_SIZE))
    out.write(_HEADER)
    out.write(nonce)
    with out.getbuffer() as view:
        cipher.encrypt_into(nonce, plaintext, _HEADER + aad, view[_PREFIX:])
    return out.getvalue()


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
