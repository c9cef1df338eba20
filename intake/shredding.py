"""Crypto-shredding: a report whose every key wrapping is gone opens for no one."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from audit import chain as audit
from audit.models import Action

from . import storage
from .models import Attachment, Report, ReportKey, Status

log = logging.getLogger(__name__)

# Sent inside shred's transaction, with `report_id`, after the report's row is locked
# and emptied. The apps that keep something derived from the report (a case's names and
# buckets) forget it here, with no key: shredding runs in a task that holds none. A
# receiver that fails undoes the shredding, so nothing is left half-forgotten.
shredded = Signal()


def shred(report: Report) -> None:
    """Delete every wrapping of the report's key (the reporter's too) and its sealed
    blobs. What remains (ids, dates) opens nothing."""
    with transaction.atomic():
        blob_ids = list(report.attachments.values_list("id", flat=True))
        ReportKey.objects.filter(report=report).delete()
        report.attachments.all().delete()
        report.messages.all().delete()
        report.sharings.all().delete()
        Report.objects.filter(id=report.id).update(sealed_content=b"", reporter_key=b"")
        shredded.send(sender=Report, report_id=report.id)
        audit.record("system", Action.REPORT_SHREDDED, [report.id])

        def delete_blobs() -> None:
            # The keys are gone: a blob left behind opens nothing. Storage that cannot
            # be reached (a bucket's outage) must not stop the day's other shreddings;
            # the hourly sweep removes what stays once it answers again.
            for blob_id in blob_ids:
                try:
                    storage.delete(blob_id)
                except Exception:  # noqa: BLE001 - any failure: the sweep retries
                    log.warning("a shredded report's sealed file is left for the sweep")

        transaction.on_commit(delete_blobs)


def shred_withdrawn(grace_days: int) -> int:
    """Shred every report withdrawn at least grace_days ago; returns how many."""
    cutoff = timezone.localdate() - timedelta(days=grace_days)
    due = Report.objects.filter(status=Status.WITHDRAWN, withdrawn_on__lte=cutoff).exclude(
        sealed_content=b""
    )
    count = 0
    for report in due:
        shred(report)
        count += 1
    return count


def sweep_orphans(older_than: float = 3600.0) -> int:
    """Remove sealed files whose row was never committed: a web worker killed between
    writing a report's files and committing it. They open nothing (their keys were
    in that process only), but they should not stay. Returns how many."""
    stale = storage.stale_blobs(older_than)
    removed = 0
    for start in range(0, len(stale), 500):
        batch = stale[start : start + 500]
        known = set(Attachment.objects.filter(id__in=batch).values_list("id", flat=True))
        for blob_id in batch:
            if blob_id not in known:
                storage.delete(blob_id)
                removed += 1
    return removed
