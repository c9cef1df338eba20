"""Staff notices: content-free, sent after commit, and kept through a broker outage.

A new report is announced from its own row (`Report.announced`); anything else waits
as a PendingNotice row. A worker turns both into Notifications (dispatch_notices);
the web process only wakes it (Dispatcher.wake), and beat sends whatever is left.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from celery import current_app
from django.db import transaction

from accounts.models import KeyHolder, Notification, Role, Staff

from .models import PendingNotice, Report, ReportKey

log = logging.getLogger(__name__)

# The task is found by name in Celery's registry, so this module does not import
# intake.tasks (which imports this one).
SEND_TASK = "intake.tasks.send_notices"

# A dispatch sends every pending notice, so one wake-up a second per process is
# enough under load; beat sends whatever is left (CELERY_BEAT_SCHEDULE). With the
# broker down, a try every 10 s is enough: each one can wait for its timeout.
WAKE_INTERVAL = 1.0
BROKER_RETRY_INTERVAL = 10.0


class Dispatcher:
    """When this process last woke the worker, and whether the broker answered."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        """Forget the last wake-up and any outage (a fresh process)."""
        self.last_wake = float("-inf")
        self.broker_down = False

    def wake(self) -> None:
        """Ask a worker to send pending notices, at most once a second from this
        process. The task message carries nothing at all."""
        now = self.clock()
        interval = BROKER_RETRY_INTERVAL if self.broker_down else WAKE_INTERVAL
        if now - self.last_wake < interval:
            return
        self.last_wake = now
        try:
            current_app.tasks[SEND_TASK].delay()
        except Exception:  # noqa: BLE001 - a broker outage must not fail the submission
            if not self.broker_down:  # once per outage: a line per report would date each
                log.warning("broker unreachable; notices are kept until it answers")
            self.broker_down = True
        else:
            if self.broker_down:
                log.warning("broker answers again")
            self.broker_down = False


dispatcher = Dispatcher()


def wake_dispatcher() -> None:
    dispatcher.wake()


def queue_notice(kind: str, subject: uuid.UUID) -> None:
    """Inside the caller's transaction: a notice that is sent only if it commits."""
    PendingNotice.objects.create(kind=kind, subject=subject)
    transaction.on_commit(wake_dispatcher)


def dispatch_notices(limit: int = 500) -> int:
    """Turn new reports and pending notices into staff notifications; returns how
    many were sent.

    One call sends a batch of everything pending, so under load one task serves
    many reports. Rows are claimed with SKIP LOCKED where the database has it, so
    two workers never send one twice.
    """
    with transaction.atomic():
        new_reports = list(
            Report.objects.filter(announced=False)
            # no_key: a return visit adding a message to the report is not held up.
            .select_for_update(skip_locked=True, no_key=True)
            .values_list("id", flat=True)[:limit]
        )
        notices = list(PendingNotice.objects.select_for_update(skip_locked=True)[:limit])
        if not new_reports and not notices:
            return 0
        notifications = []
        if new_reports:
            intake_staff = Staff.objects.filter(role=Role.INTAKE, is_active=True)
            for staff_id in intake_staff.values_list("pk", flat=True):
                notifications += [
                    Notification(staff_id=staff_id, kind=Notification.Kind.NEW_REPORT, subject=r)
                    for r in new_reports
                ]
        for notice in notices:
            recipients = ReportKey.objects.filter(
                report_id=notice.subject, holder__kind=KeyHolder.Kind.STAFF
            ).values_list("holder__staff", flat=True)
            notifications += [
                Notification(staff_id=staff_id, kind=notice.kind, subject=notice.subject)
                for staff_id in set(recipients)
            ]
        Notification.objects.bulk_create(notifications)
        Report.objects.filter(id__in=new_reports).update(announced=True)
        PendingNotice.objects.filter(id__in=[n.id for n in notices]).delete()
    return len(new_reports) + len(notices)
