"""Reads from the streaming replica, for the few pages that can show slightly old data.

Every query goes to the primary ("default") unless a view asks otherwise with
`reads_from_replica`, and even then writes, and reads inside a transaction on the primary
(an audit entry appended while the page is drawn locks and reads the chain's head), stay
on the primary. Without a "replica" database (DATABASE_REPLICA_URL unset: one host, and
every SQLite run) the router changes nothing. A replica that does not answer sends those
pages back to the primary for a while instead of failing them (docs/SCALING.md).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import DatabaseError, connections

PRIMARY = "default"
REPLICA = "replica"
# After the replica failed to answer, the primary serves its pages this long before the
# replica is tried again: a down replica costs one connection timeout, not one per page.
RETRY_SECONDS = 30.0

logger = logging.getLogger(__name__)
_replica_reads: ContextVar[bool] = ContextVar("amanat_replica_reads", default=False)
_down_until = 0.0

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_answers() -> bool:
    """Whether the replica takes a query now; after a failure, False for RETRY_SECONDS."""
    global _down_until  # one per process, shared by its requests
    if not replica_configured() or time.monotonic() < _down_until:
        return False
    replica = connections[REPLICA]
    try:
        # cursor() first drops a persistent connection the server has closed.
        with replica.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        replica.close()
        _down_until = time.monotonic() + RETRY_SECONDS
        # Neither the error (it names the server) nor anything of the request.
        logger.warning("The replica does not answer: its pages read from the primary.")
        return False
    return True


@contextmanager
def replica_reads() -> Iterator[bool]:
    """Within it, reads outside a transaction go to the replica when it answers. Yields
    whether they do."""
    token = _replica_reads.set(replica_answers())
    try:
        yield _replica_reads.get()
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may be a little behind the primary (the replica's replay lag)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS: the primary for everything but `replica_reads`' plain reads."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _replica_reads.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # both hold the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica replays the primary's schema
