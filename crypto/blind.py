"""Blind indexes: keyed HMAC-SHA256 of a normalised value, optionally truncated.

Equal values give equal indexes under the same key, so duplicates can be found
without plaintext. Truncation makes buckets that are shared by chance, so a match
suggests rather than proves an equal value.
"""

from __future__ import annotations

import hashlib
import hmac

from .aead import associated_data

INDEX_KEY_SIZE = 32


def blind_index(key: bytes, value: str | bytes, domain: str, length: int = 32) -> bytes:
    """HMAC-SHA256(key, domain || value), cut to length bytes (1..32).

    domain separates uses (for example "person-name" and "birth-year") so that
    equal values of different kinds do not collide.
    """
    if len(key) != INDEX_KEY_SIZE:
        raise ValueError("an index key must be 32 bytes")
    if not 1 <= length <= 32:
        raise ValueError("blind index length must be between 1 and 32 bytes")
    raw = value.encode("utf-8") if isinstance(value, str) else value
    mac = hmac.new(key, associated_data(domain, raw), hashlib.sha256).digest()
    return mac[:length]
