"""Background work for intake. Task messages carry opaque ids only."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import notices, shredding, storage, submission


@shared_task(ignore_result=True)
def send_notices() -> None:
    """Tell staff of new reports and reporters' messages. Woken after a commit and
    run by beat, which sends what a broker outage held back. It takes no arguments:
    the database says what is pending."""
    while notices.dispatch_notices():
        pass


@shared_task(ignore_result=True)
def shred_withdrawn_reports() -> None:
    """Withdrawn reports are shredded once their grace period has passed (daily)."""
    shredding.shred_withdrawn(settings.INTAKE_WITHDRAWN_GRACE_DAYS)


@shared_task(ignore_result=True)
def forget_used_form_ids() -> None:
    """Used form ids are kept a day or two: long enough to catch a resent page. Files a
    killed web worker left (partial, or sealed for a report never committed) go too."""
    submission.forget_used_form_ids()
    storage.sweep_partials()
    shredding.sweep_orphans()
