"""The versioned header that starts every byte string the crypto package writes.

Layout (5 bytes): b"AM", a kind letter, a format version, an algorithm id. Keeping
the version and algorithm in the data lets later code migrate old ciphertexts.
"""

from __future__ import annotations

from .errors import FormatError

MAGIC = b"AM"
SIZE = 5

# Kinds of object.
SEALED = b"S"
WRAPPED = b"W"
LOCKED = b"L"
STREAM = b"F"
PUBLIC_KEY = b"P"
PRIVATE_KEY = b"K"

_NAMES = {
    SEALED: "sealed record",
    WRAPPED: "wrapped key",
    LOCKED: "password-locked secret",
    STREAM: "encrypted stream",
    PUBLIC_KEY: "public key",
    PRIVATE_KEY: "private key",
}

# Algorithm ids, per kind, as of format version 1.
ALG_AES256GCM = 1  # sealed records
ALG_HPKE_MLKEM768X25519_HKDFSHA256_AES256GCM = 1  # wrapped keys, key pairs
ALG_ARGON2ID_AES256GCM = 1  # password-locked secrets
ALG_HKDFSHA256_AES256GCM_SEGMENTS = 1  # streams

VERSION = 1


def make(kind: bytes, alg: int, version: int = VERSION) -> bytes:
    return MAGIC + kind + bytes((version, alg))


def check(data: bytes | memoryview, kind: bytes, alg: int, version: int = VERSION) -> None:
    """Raise FormatError unless data starts with the expected header."""
    name = _NAMES[kind]
    if len(data) < SIZE or bytes(data[:2]) != MAGIC or bytes(data[2:3]) != kind:
        raise FormatError(f"not an Amanat {name}")
    if data[3] != version:
        raise FormatError(f"unsupported {name} format version {data[3]}")
    if data[4] != alg:
        raise FormatError(f"unsupported {name} algorithm {data[4]}")
