"""Change Celery's configuration for one test and put it back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from config.celery import app


@contextmanager
def celery_conf(**values) -> Iterator[None]:
    old = {name: app.conf[name] for name in values}
    app.conf.update(values)
    try:
        yield
    finally:
        app.conf.update(old)
