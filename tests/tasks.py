"""Change Celery's configuration for one test and put it back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from config.celery import app


def _forget_connections() -> None:
    """Celery keeps its broker connections and producers once made: without this, a
    changed broker_url would go on publishing to the broker of an earlier test."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_conf(**values) -> Iterator[None]:
    old = {name: app.conf[name] for name in values}
    app.conf.update(values)
    _forget_connections()
    try:
        yield
    finally:
        app.conf.update(old)
        _forget_connections()
