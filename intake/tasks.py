"""Background work for intake. Task messages carry opaque ids only."""

from __future__ import annotations

import uuid

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(ignore_result=True)
def dispatch_notice(notice_id: str) -> None:
    """Queued after a report commits. The id only says which notice woke the worker:
    every pending notice is sent in one go (intake.services.dispatch_notices)."""
    uuid.UUID(notice_id)  # refuse anything but an opaque id
    services.dispatch_notices()


@shared_task(ignore_result=True)
def dispatch_pending_notices() -> None:
    """Send what a broker outage held back (scheduled by beat)."""
    while services.dispatch_notices():
        pass


@shared_task(ignore_result=True)
def shred_withdrawn_reports() -> None:
    """Withdrawn reports are shredded once their grace period has passed (daily)."""
    services.shred_withdrawn(settings.INTAKE_WITHDRAWN_GRACE_DAYS)
