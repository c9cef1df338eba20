"""Limits on the public side that work behind a proxy and an onion service, and keep
nothing that identifies a reporter.

Who a client is (`client_signal`): behind the local proxy (a connection from
AMANAT_TRUSTED_PROXIES) only the header that proxy sets counts (AMANAT_CLIENT_HEADER:
a keyed token of the visitor's address on the clear web, the Tor circuit's id for
onion visitors, see deploy/); from a trusted proxy without that header there is no per-client
signal, and only the global budgets apply. Any other connection is known by its
address. The signal is replaced at once by an HMAC under a day key that exists only
in process memory, derived from RATELIMIT_SECRET (never stored beside the counters)
and the date; yesterday's key is forgotten, so yesterday's counters name nobody.

A correct receipt is never refused: it is checked first, and only wrong guesses are
counted. Its 66 bits make online guessing hopeless; the count keeps scripted
guessing slow and visible, and one check costs about 0.2 ms.

If the cache does not answer, every limit counts in this process (a per-process
budget) and the log says so once, so reports and return visits still work.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config import clients
from config.clients import client_signal

log = logging.getLogger(__name__)

# ---- who is a client ----


_day_key_lock = threading.Lock()
_day_key_cache: dict[str, bytes] = {}


def day_key(day: str) -> bytes:
    """The key that hashes client signals on this day (an ISO date)."""
    return clients.day_key("ratelimit", day)


def _day_key() -> bytes:
    """Today's key, derived in memory; every process derives the same one."""
    day = timezone.now().date().isoformat()
    key = _day_key_cache.get(day)
    if key is None:
        key = day_key(day)
        with _day_key_lock:
            _day_key_cache.clear()  # forget yesterday's key at once
            _day_key_cache[day] = key
    return key


def _opaque(value: str) -> str:
    return hmac.new(_day_key(), value.encode(), hashlib.sha256).hexdigest()[:32]


def client(request) -> str | None:
    """An opaque, day-scoped name for the client, or None when there is no signal."""
    signal = client_signal(request)
    return None if signal is None else _opaque(signal)


# ---- counters: in the shared cache, or in this process while it does not answer ----


class Counters:
    """Counters over fixed windows. The window's number is part of each key, so a
    counter expires with its window and needs no clock of its own in the store."""

    RETRY_SECONDS = 5.0  # while the cache is down, try it again at most this often

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local: dict[str, tuple[int, float]] = {}
        self._down_until = 0.0
        self.degraded = False

    def reset(self) -> None:
        with self._lock:
            self._local.clear()
        self._down_until = 0.0
        self.degraded = False

    def _shared_ok(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self) -> None:
        self._down_until = time.monotonic() + self.RETRY_SECONDS
        if not self.degraded:
            log.warning("cache unreachable; limits are counted in each process until it answers")
        self.degraded = True

    def _answered(self) -> None:
        if self.degraded:
            log.warning("cache answers again; limits are shared again")
        self.degraded = False

    @staticmethod
    def _key(name: str, window: int, now: float) -> tuple[str, float]:
        index = int(now // window)
        return f"rl:{name}:{index}", (index + 1) * window

    def hit(self, name: str, window: int) -> int:
        """Count one in this window; return the count so far."""
        now = time.time()
        key, ends = self._key(name, window, now)
        if self._shared_ok():
            try:
                count = _shared_count(key, window)
            except Exception:  # noqa: BLE001 - any cache failure: count here instead
                self._failed()
            else:
                self._answered()
                return count
        with self._lock:
            if len(self._local) > 10_000:
                self._local = {k: v for k, v in self._local.items() if v[1] > now}
            count = self._local.get(key, (0, ends))[0] + 1
            self._local[key] = (count, ends)
        return count

    def add(self, name: str, window: int, amount: int) -> int:
        """Add `amount` in this window; return the total so far."""
        now = time.time()
        key, ends = self._key(name, window, now)
        if self._shared_ok():
            try:
                cache.add(key, 0, timeout=window)
                total = cache.incr(key, amount)
            except Exception:  # noqa: BLE001 - any cache failure: count here instead
                self._failed()
            else:
                self._answered()
                return total
        with self._lock:
            total = self._local.get(key, (0, ends))[0] + amount
            self._local[key] = (total, ends)
        return total


def _shared_count(key: str, window: int) -> int:
    count = getattr(cache, "count", None)
    if count is not None:  # Redis: one round trip (config.cache.RedisCache.count)
        return count(key, window)
    if cache.add(key, 1, timeout=window):
        return 1
    return cache.incr(key)


counters = Counters()


def reset() -> None:
    """Forget every count kept in this process and the day key (a fresh process)."""
    counters.reset()
    with _day_key_lock:
        _day_key_cache.clear()


def seconds_left(window: int) -> int:
    return int(window - time.time() % window) + 1


# ---- submissions ----


class Admission(enum.Enum):
    ACCEPTED = "accepted"
    TOO_MANY = "too many"  # this client sent more than its share this hour
    BUSY = "busy"  # many reports are arriving from everyone: try again in a few minutes


@dataclass(frozen=True)
class Decision:
    admission: Admission
    retry_after: int = 0  # seconds


CLIENT_WINDOW = 3600
GLOBAL_WINDOW = 60


def admit_submission(request) -> Decision:
    """Count one submission attempt, for this client (where it can be told apart)
    and for everyone. Called before any upload is cleaned, so attempts cost first."""
    who = client(request)
    if who is not None:
        count = counters.hit(f"submit:{who}", CLIENT_WINDOW)
        if count > settings.INTAKE_SUBMISSIONS_PER_HOUR:
            return Decision(Admission.TOO_MANY, seconds_left(CLIENT_WINDOW))
    if counters.hit("submit:all", GLOBAL_WINDOW) > settings.INTAKE_SUBMISSIONS_PER_MINUTE:
        # Spread the retries so they do not all come back in the same second.
        return Decision(Admission.BUSY, seconds_left(GLOBAL_WINDOW) + secrets.randbelow(120))
    return Decision(Admission.ACCEPTED)


# ---- messages on return visits ----

MESSAGE_WINDOW = 86400  # a day


class MessageAdmission(enum.Enum):
    ACCEPTED = "accepted"
    TOO_MANY = "too many"  # this client sent more messages than its share this hour
    ENOUGH_TODAY = "enough today"  # this report received its share of messages or files today


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def admit_message(request, report_id, upload_bytes: int) -> MessageAdmission:
    """Count one message attempt on a report opened by its receipt, per client and per
    report, and the bytes of its files per report; called before any file is cleaned,
    so one receipt cannot keep the cleaning pool busy or fill the disk. The report is
    named only by an HMAC under the day key."""
    who = client(request)
    if who is not None:
        if counters.hit(f"message:{who}", CLIENT_WINDOW) > _limit("INTAKE_MESSAGES_PER_HOUR", 30):
            return MessageAdmission.TOO_MANY
    report = _opaque(f"report:{report_id}")
    if counters.hit(f"message:report:{report}", MESSAGE_WINDOW) > _limit(
        "INTAKE_MESSAGES_PER_DAY", 20
    ):
        return MessageAdmission.ENOUGH_TODAY
    if upload_bytes:
        total = counters.add(f"message:bytes:{report}", MESSAGE_WINDOW, upload_bytes)
        if total > _limit("INTAKE_MESSAGE_BYTES_PER_DAY", 100 * 1024 * 1024):
            return MessageAdmission.ENOUGH_TODAY
    return MessageAdmission.ACCEPTED


# ---- wrong receipts ----

# The first few wrong receipts are free; then each one doubles the wait the reporter
# is asked to keep, up to the window. A correct receipt opens whatever the count.
FREE_FAILURES = 3
RECEIPT_WINDOW = 3600


def _wait_for(failures: int) -> int:
    if failures <= FREE_FAILURES:
        return 0
    return min(RECEIPT_WINDOW, 2 ** (failures - FREE_FAILURES))


def wrong_receipt(request, receipt: str) -> int:
    """Count a wrong receipt (per client, per receipt tried and for everyone); return
    the seconds to ask the sender to wait before the next try, 0 for none. The
    receipt is kept only as an HMAC under the day key, like a client."""
    failures = counters.hit(f"receipt:tried:{_opaque(receipt)}", RECEIPT_WINDOW)
    who = client(request)
    if who is not None:
        failures = max(failures, counters.hit(f"receipt:{who}", RECEIPT_WINDOW))
    wait = _wait_for(failures)
    everyone = counters.hit("receipt:all", GLOBAL_WINDOW)
    if everyone > settings.INTAKE_WRONG_RECEIPTS_PER_MINUTE:
        wait = max(wait, seconds_left(GLOBAL_WINDOW))
    return wait
