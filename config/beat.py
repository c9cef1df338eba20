"""Beat sends the periodic tasks once, however many machines run it.

    celery -A config beat -S config.beat:SingleBeatScheduler --schedule $AMANAT_DATA/beat-schedule

Each beat takes a lock in Redis (REDIS_URL, the cache every node shares) before it sends
anything, and renews it at every tick. Only the holder sends; any other beat is a standby
that tries again every few seconds and takes over once the holder has not renewed the lock
for LOCK_SECONDS (a crashed or cut-off machine). A holder that cannot renew stops sending
at once. The lock is redis-py's (a random token, renewed only by its owner).

At the hand-over a task may be sent twice, once by each beat, never lost for longer than
LOCK_SECONDS: every periodic task is a sweep that finds nothing left to do the second time.
Without REDIS_URL there is nothing to share a lock through, and beat must run on one
machine only (docs/SCALING.md).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from redis.exceptions import LockError, RedisError

LOCK_NAME = "amanat:beat"
# How long a silent holder keeps the lock. A beat ticks at least three times as often.
LOCK_SECONDS = float(os.environ.get("AMANAT_BEAT_LOCK_SECONDS", "60"))

logger = logging.getLogger(__name__)


class SingleBeatScheduler(PersistentScheduler):
    """Celery's own scheduler (its state in --schedule), sending only while it holds the lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.holding = False
        self.lock: Any = None
        if settings.REDIS_URL:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
            self.lock = client.lock(LOCK_NAME, timeout=LOCK_SECONDS, thread_local=False)
        else:
            logger.warning("No REDIS_URL: beat takes no lock. Run it on one machine only.")
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if self.lock is None:
            return float(super().tick(*args, **kwargs))
        if not self.hold_lock():
            return LOCK_SECONDS / 4  # a standby: try again soon
        return min(float(super().tick(*args, **kwargs)), LOCK_SECONDS / 3)

    def hold_lock(self) -> bool:
        """Renew the lock if this beat holds it, else try to take it. False when Redis
        does not answer: then nobody can be sure of holding it, and nobody sends."""
        was_holding = self.holding
        try:
            if self.holding:
                self.lock.reacquire()
            else:
                self.holding = bool(self.lock.acquire(blocking=False))
        except (LockError, RedisError):
            self.holding = False
        if self.holding != was_holding:
            logger.warning(
                "This beat now sends the periodic tasks."
                if self.holding
                else "This beat lost its lock and stops sending; another one may take over."
            )
        return self.holding

    def close(self) -> None:
        super().close()
        if self.holding:
            try:
                self.lock.release()  # a standby takes over at its next try, not in a minute
            except (LockError, RedisError):
                pass
            self.holding = False
