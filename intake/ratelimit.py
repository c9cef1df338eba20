"""Rate limits that store no addresses.

A client is known only by an HMAC of its address under a random key that lives
in the cache for one day; after that day, yesterday's counters cannot be linked
to an address by anyone, including us. Counters expire with their window.
"""

from __future__ import annotations

import enum
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


def _form_key(form_id: str) -> str:
    return f"intake:form:{hashlib.sha256(form_id.encode()).hexdigest()}"


def release_form_id(form_id: str) -> None:
    """The submission did not go through: the same form may be sent again."""
    if form_id:
        cache.delete(_form_key(form_id))


class Admission(enum.Enum):
    ACCEPTED = "accepted"
    ALREADY_SENT = "already sent"  # this form was sent before (a reload sends it again)
    TOO_MANY = "too many"  # over the hourly limit for this client


FORM_ID_SECONDS = 24 * 3600


def admit_submission(request, form_id: str) -> Admission:
    """Use up the form's one-time id and count one submission for this client.

    One round trip on Redis (config.cache.RedisCache.add_then_count), as this is
    paid by every report; two cache calls elsewhere.
    """
    # A form without its id (it is only a hidden field) counts as new each time.
    once = _form_key(form_id or secrets.token_urlsafe(16))
    counter = f"rl:submit:{client(request)}"
    add_then_count = getattr(cache, "add_then_count", None)
    if add_then_count is not None:
        count = add_then_count(once, FORM_ID_SECONDS, counter, 3600)
    elif cache.add(once, 1, timeout=FORM_ID_SECONDS):
        count = _count(counter, 3600)
    else:
        count = None
    if count is None:
        return Admission.ALREADY_SENT
    if count > settings.INTAKE_SUBMISSIONS_PER_HOUR:
        return Admission.TOO_MANY
    return Admission.ACCEPTED


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
