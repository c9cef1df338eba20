"""Argon2id key derivation with explicit, stored parameters and a floor."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .errors import FormatError, WeakParametersError

SALT_SIZE = 16


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int
    iterations: int
    lanes: int

    SIZE = 12  # three unsigned 32-bit integers when stored

    def to_bytes(self) -> bytes:
        return b"".join(
            v.to_bytes(4, "big") for v in (self.memory_kib, self.iterations, self.lanes)
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Argon2Params:
        if len(data) != cls.SIZE:
            raise FormatError("Argon2id parameters have the wrong length")
        m, t, p = (int.from_bytes(data[i : i + 4], "big") for i in (0, 4, 8))
        return cls(m, t, p)

    def at_least(self, floor: Argon2Params) -> bool:
        return self.memory_kib >= floor.memory_kib and self.iterations >= floor.iterations


# Passwords that lock private keys: at least 64 MiB and 3 passes (docs/KEYS.md).
PASSWORD_FLOOR = Argon2Params(memory_kib=64 * 1024, iterations=3, lanes=1)
PASSWORD_DEFAULT = Argon2Params(memory_kib=64 * 1024, iterations=3, lanes=4)
# Refuse absurd stored parameters so a tampered blob cannot exhaust memory.
CEILING = Argon2Params(memory_kib=4 * 1024 * 1024, iterations=64, lanes=16)


# Called with the parameters before every Argon2id derivation: lets the callers that
# bound this cost (sign-in limits) count derivations in tests and benchmarks.
_observers: list[Callable[[Argon2Params], None]] = []


# Two Argon2id derivations with more than one lane, run at once in one process, never
# finish with the OpenSSL that cryptography 50 ships (test_password.py shows it), so a
# threaded server would hang on two simultaneous staff sign-ins. One at a time per
# process; single-lane derivations (the receipt KDF) are not affected and stay parallel.
_multi_lane = threading.Lock()


def observe(callback: Callable[[Argon2Params], None]) -> Callable[[], None]:
    """Call `callback` before each Argon2id derivation; returns a function that stops it."""
    _observers.append(callback)
    return lambda: _observers.remove(callback)


def normalise_password(password: str | bytes) -> bytes:
    """UTF-8 bytes of the password in NFC, so the same typed text gives the same key."""
    if isinstance(password, bytes):
        return password
    return unicodedata.normalize("NFC", password).encode("utf-8")


def derive(secret: bytes, salt: bytes, params: Argon2Params, floor: Argon2Params) -> bytes:
    """A 32-byte key from secret with Argon2id; refuses parameters below floor."""
    if not params.at_least(floor):
        raise WeakParametersError(
            f"Argon2id parameters ({params.memory_kib} KiB, {params.iterations} passes) are "
            f"below the floor ({floor.memory_kib} KiB, {floor.iterations} passes)"
        )
    if (
        params.memory_kib > CEILING.memory_kib
        or params.iterations > CEILING.iterations
        or not 1 <= params.lanes <= CEILING.lanes
    ):
        raise FormatError("Argon2id parameters are out of range")
    if len(salt) < SALT_SIZE:
        raise ValueError("Argon2id salt must be at least 16 bytes")
    for callback in list(_observers):
        callback(params)
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    if params.lanes == 1:
        return kdf.derive(secret)
    with _multi_lane:
        return kdf.derive(secret)
