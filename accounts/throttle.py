"""Limits on staff sign-in, decided before the Argon2id derivation each attempt costs.

Every password check unlocks a key with Argon2id (64 MiB, 3 passes), so an attempt
is admitted only when all of these allow it, cheapest first:

- per client: at most `client_attempts` derivations per `client_window` seconds;
- all clients together: at most `global_attempts` per `global_window` seconds, shared
  by every process through the cache, so a crowd of clients cannot take every worker;
- per process: at most `concurrent` derivations at once (each holds 64 MiB).

Then, per (account, client): each wrong password doubles the wait before that pair may
have a password tested again. While it waits, an attempt is answered exactly like a
wrong password, after the same Argon2id (on a decoy), so neither the answer nor its
time tells whether an account exists or is being slowed down. Another client of the
same account is not affected, so whoever guesses cannot lock the real user out.

Clients are told apart as on the public side (config.clients): by the header the
local proxy sets (a keyed token of the visitor's address, or the Tor circuit's id), or
by the address of a direct connection. Without any signal every client shares one name, and the
per-client limits act for all of them together.

Nothing here stores an address or a username: cache keys are HMACs under a key that
lives only in process memory, derived from RATELIMIT_SECRET and the day (every
process agrees on it; a dump of the cache alone cannot link a key to an address, and
the day's key is forgotten the next day). If the cache does not answer, the counters
fall back to this process's memory, so sign-in keeps working with per-process limits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest
from django.utils import timezone
from redis.exceptions import RedisError

from config import clients

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """Defaults; settings.STAFF_SIGNIN_LIMITS (a dict of these names) overrides them."""

    client_attempts: int = 10
    client_window: int = 60
    global_attempts: int = 10
    global_window: int = 10
    concurrent: int = 1  # multi-lane Argon2id runs one at a time per process anyway
    concurrent_wait: float = 2.0  # seconds a request may queue for a derivation slot
    first_wait: int = 1  # seconds after the first wrong password; doubled each time
    max_wait: int = 3600
    remember: int = 24 * 3600  # a pair's wrong passwords are forgotten after this


def limits() -> Limits:
    return Limits(**getattr(settings, "STAFF_SIGNIN_LIMITS", {}))


class TooManyAttempts(Exception):
    """Refused before any key derivation: too many attempts from this client or overall."""


# --- opaque names -------------------------------------------------------------------

_day_key: dict[str, bytes] = {}
_day_lock = threading.Lock()


def _key() -> bytes:
    """Today's naming key, kept in process memory only (never in the cache)."""
    day = timezone.now().date().isoformat()
    with _day_lock:
        key = _day_key.get(day)
        if key is None:
            key = clients.day_key("signin-throttle", day)
            _day_key.clear()  # yesterday's key is forgotten at once
            _day_key[day] = key
        return key


def _name(*parts: str) -> str:
    message = "\x00".join(parts).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:32]


def client_of(request: HttpRequest) -> str:
    """An opaque name for the client of `request`: an HMAC of the signal that tells it
    apart (config.clients), or one shared name when nothing does."""
    return _name("client", clients.client_signal(request) or "none")


def _pair(client: str, username: str) -> str:
    return _name("pair", client, username)


# --- counters that survive a cache outage -----------------------------------------

_local = LocMemCache("amanat-signin-fallback", {})
_cache_down_logged = [False]


def forget_local_counters() -> None:
    """Drop the per-process counters kept while the cache was down (and log the next
    outage again)."""
    _local.clear()
    _cache_down_logged[0] = False


def _call(method: str, *args: Any, **kwargs: Any) -> Any:
    """`cache.method(...)`, or the same on this process's memory if the cache fails."""
    store: BaseCache = cache
    try:
        return getattr(store, method)(*args, **kwargs)
    except ValueError:  # incr of a missing key: an answer, not an outage
        raise
    except (RedisError, OSError):
        if not _cache_down_logged[0]:
            _cache_down_logged[0] = True
            log.warning("sign-in limits: the cache does not answer; counting per process")
        return getattr(_local, method)(*args, **kwargs)


def _count(name: str, window: int) -> int:
    """One more in a counter that expires `window` seconds after it started."""
    try:
        return int(_call("incr", name))
    except ValueError:  # no counter yet, or it just expired
        if _call("add", name, 1, timeout=window):
            return 1
        return int(_call("incr", name))


# --- admission before Argon2id ------------------------------------------------------

_semaphores: dict[int, threading.BoundedSemaphore] = {}
_budget_logged = [-1]
_semaphores_lock = threading.Lock()


def _semaphore(size: int) -> threading.BoundedSemaphore:
    with _semaphores_lock:
        if size not in _semaphores:
            _semaphores[size] = threading.BoundedSemaphore(size)
        return _semaphores[size]


@contextmanager
def derivation_slot(client: str) -> Iterator[None]:
    """Admit one Argon2id derivation for `client`, or raise TooManyAttempts first."""
    lim = limits()
    if _count(f"signin:client:{client}", lim.client_window) > lim.client_attempts:
        raise TooManyAttempts("client")
    slot = _semaphore(lim.concurrent)
    if not slot.acquire(timeout=lim.concurrent_wait):
        raise TooManyAttempts("busy")
    try:
        # Counted only for a derivation about to run: attempts turned away above cost
        # nothing, so they must not use up everyone's budget either.
        window = int(time.time()) // lim.global_window
        if _count(f"signin:all:{window}", lim.global_window) > lim.global_attempts:
            if _budget_logged[0] != window:  # once per window and process: a flood
                _budget_logged[0] = window
                log.warning("sign-in: all clients' budget is used up; refusing for a while")
            raise TooManyAttempts("global")
        yield
    finally:
        slot.release()


# --- the growing wait per (account, client) ---------------------------------------


@contextmanager
def pair_turn(client: str, username: str) -> Iterator[bool]:
    """Whether this (account, client) pair may have a password tested now.

    False while it waits after a wrong password, and while another attempt of the same
    pair is being checked (so parallel requests cannot test several guesses at once).
    """
    pair = _pair(client, username)
    if _call("get", f"signin:wait:{pair}") is not None:
        yield False
        return
    if not _call("add", f"signin:busy:{pair}", 1, timeout=60):
        yield False
        return
    try:
        yield True
    finally:
        _call("delete", f"signin:busy:{pair}")


def wrong_password(client: str, username: str) -> int:
    """Count a wrong password for the pair and start its wait; returns the wait."""
    lim = limits()
    pair = _pair(client, username)
    failures = _count(f"signin:fail:{pair}", lim.remember)
    wait = min(lim.max_wait, lim.first_wait << min(failures - 1, 30))
    _call("set", f"signin:wait:{pair}", 1, timeout=wait)
    return wait


def right_password(client: str, username: str) -> None:
    pair = _pair(client, username)
    _call("delete_many", [f"signin:fail:{pair}", f"signin:wait:{pair}"])


def failures(client: str, username: str) -> int:
    """Wrong passwords counted for the pair (0 after a right one or `remember` seconds)."""
    return int(_call("get", f"signin:fail:{_pair(client, username)}", 0))
