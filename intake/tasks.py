"""Background work for intake. Task messages carry opaque ids only."""

from __future__ import annotations

import uuid

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def dispatch_notice(notice_id: str) -> None:
    services.dispatch_notice(uuid.UUID(notice_id))


@shared_task(ignore_result=True)
def dispatch_pending_notices() -> None:
    """Send what a broker outage held back (scheduled by beat)."""
    for notice_id in services.pending_notice_ids():
        services.dispatch_notice(notice_id)
