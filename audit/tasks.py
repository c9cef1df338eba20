"""Background work for the audit log. Task messages carry no arguments at all."""

from celery import shared_task

from . import chain


@shared_task(ignore_result=True)
def append_waiting_entries() -> int:
    """Close the days that are over: their day-only entries join the chain (beat)."""
    return chain.append_waiting()


@shared_task(ignore_result=True)
def verify_chain() -> bool:
    """Verify the whole chain once a day and keep the verdict for the auditor's page."""
    return chain.check("daily").ok
