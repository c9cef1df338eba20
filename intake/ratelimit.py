"""Rate limits that store no addresses.

A client is known only by an HMAC of its address under a random key that lives
in the cache for one day; after that day, yesterday's counters cannot be linked
to an address by anyone, including us. Counters expire with their window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

_day_keys: dict[str, bytes] = {}


def _day_key() -> bytes:
    """Today's key, shared by all processes through the cache, remembered here."""
    day = timezone.now().date().isoformat()
    key = _day_keys.get(day)
    if key is None:
        name = f"rl:key:{day}"
        cache.add(name, secrets.token_hex(32), timeout=2 * 24 * 3600)
        key = bytes.fromhex(cache.get(name))
        _day_keys.clear()  # forget yesterday's key at once
        _day_keys[day] = key
    return key


def client(request) -> str:
    """An opaque, day-scoped name for the client."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(_day_key(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _count(name: str, window: int) -> int:
    """Add one to a counter that expires window seconds after it was started."""
    try:
        return cache.incr(name)
    except ValueError:  # no counter yet (or it just expired)
        if cache.add(name, 1, timeout=window):
            return 1
        return cache.incr(name)


def allow_submission(request) -> bool:
    """Count one submission for this client; False when over the hourly limit."""
    limit = settings.INTAKE_SUBMISSIONS_PER_HOUR
    return _count(f"rl:submit:{client(request)}", 3600) <= limit


# Wrong receipts: the first few are free, then each one doubles the wait before the
# next try, and after MAX_FAILURES the client is refused for the rest of the hour.
FREE_FAILURES = 3
MAX_FAILURES = 10
FAILURE_WINDOW = 3600


def receipt_wait(request) -> int:
    """Seconds this client must wait before trying a receipt; 0 if it may try now."""
    who = client(request)
    failures = cache.get(f"rl:receipt:fail:{who}", 0)
    if failures >= MAX_FAILURES:
        return FAILURE_WINDOW
    not_before = cache.get(f"rl:receipt:next:{who}", 0)
    return max(0, int(not_before - time.time() + 0.999))


def receipt_failed(request) -> None:
    who = client(request)
    failures = _count(f"rl:receipt:fail:{who}", FAILURE_WINDOW)
    if failures >= FREE_FAILURES:
        delay = 2 ** (failures - FREE_FAILURES)
        cache.set(f"rl:receipt:next:{who}", time.time() + delay, timeout=FAILURE_WINDOW)
