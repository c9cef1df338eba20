"""Background work for accounts. Task messages carry no arguments at all."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(ignore_result=True)
def clear_expired_sessions() -> int:
    """Delete expired sessions, and with them the sealed keys they hold."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
