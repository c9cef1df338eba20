"""Sealing reports: everything a reporter sends is encrypted in memory and only
ciphertext and wrapped keys are written, in one transaction (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

import crypto
from accounts.models import KeyHolder, Notification, Organisation, Role, Staff
from audit import chain as audit
from audit.models import Action
from crypto.stream import StreamEncryptor

from . import receipts, storage
from .models import Attachment, Consent, Message, PendingNotice, Report, ReportKey, Status

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


# ---- associated data and HPKE info: each ciphertext is bound to its place ----


def content_aad(report_id: uuid.UUID) -> bytes:
    return crypto.associated_data("intake.report", report_id.hex, "content", SCHEMA_VERSION)


def key_info(report_id: uuid.UUID, holder_id: uuid.UUID) -> bytes:
    return f"amanat/report-key/{report_id.hex}/holder/{holder_id.hex}".encode()


def reporter_key_info(report_id: uuid.UUID) -> bytes:
    return f"amanat/report-key/{report_id.hex}/reporter".encode()


def attachment_aad(attachment_id: uuid.UUID, part: str) -> bytes:
    return crypto.associated_data("intake.attachment", attachment_id.hex, part, SCHEMA_VERSION)


def message_aad(message_id: uuid.UUID, report_id: uuid.UUID) -> bytes:
    return crypto.associated_data(
        "intake.message", message_id.hex, report_id.hex, "body", SCHEMA_VERSION
    )


# ---- who may open a new report ----

_public_keys: dict[str, crypto.PublicKey] = {}


def _public(fingerprint: str, public_key: bytes) -> crypto.PublicKey:
    """Parsed public keys, cached per process (they are public and immutable)."""
    key = _public_keys.get(fingerprint)
    if key is None:
        key = _public_keys[fingerprint] = crypto.PublicKey.from_bytes(bytes(public_key))
    return key


class NotReady(Exception):
    """The organisation was not set up yet (no recovery key): nothing can be sealed."""


@dataclass(frozen=True)
class Recipient:
    holder_id: uuid.UUID
    public: crypto.PublicKey = field(repr=False)


# Every submission needs this list, and building it through the ORM (a join and a
# union) cost three times the query itself, so it is plain SQL, valid on SQLite and
# PostgreSQL. Each half starts from a small table (staff, the organisation).
_HOLDERS_SQL = """
    SELECT h.id, h.kind, h.fingerprint, h.public_key
      FROM {holder} h JOIN {staff} s ON s.holder_id = h.id
     WHERE s.role = %s AND s.is_active
    UNION ALL
    SELECT h.id, h.kind, h.fingerprint, h.public_key
      FROM {holder} h JOIN {organisation} o ON o.recovery_holder_id = h.id
"""


def intake_holders() -> list[Recipient]:
    """Every active intake staff member, and the organisation's recovery key."""
    sql = _HOLDERS_SQL.format(
        holder=KeyHolder._meta.db_table,
        staff=Staff._meta.db_table,
        organisation=Organisation._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Role.INTAKE])
        rows = cursor.fetchall()
    if not any(kind == KeyHolder.Kind.RECOVERY for _, kind, _, _ in rows):
        raise NotReady("run `manage.py bootstrap` before accepting reports")
    return [
        Recipient(holder_id=_uuid(holder_id), public=_public(fingerprint, public_key))
        for holder_id, _, fingerprint, public_key in rows
    ]


def _uuid(value) -> uuid.UUID:
    """SQLite returns UUID columns as hex strings, PostgreSQL as UUIDs."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


# ---- submission ----


@dataclass
class CleanFile:
    """An upload whose metadata was already removed (intake.sanitise)."""

    name: str = field(repr=False)
    kind: str
    data: bytes = field(repr=False)


@dataclass
class Submitted:
    report: Report
    receipt: str = field(repr=False)


def _seal_files(report_id: uuid.UUID, dek: bytes, files: list[CleanFile]) -> list[Attachment]:
    """Stream-encrypt each file into storage under its own key; return unsaved rows."""
    rows = []
    for clean in files:
        attachment_id = uuid.uuid4()
        file_key = crypto.new_key()
        encryptor = StreamEncryptor(file_key, attachment_aad(attachment_id, "file"))
        storage.write(attachment_id, [encryptor.update(clean.data), encryptor.finalize()])
        meta = json.dumps({"name": clean.name, "kind": clean.kind, "size": len(clean.data)})
        rows.append(
            Attachment(
                id=attachment_id,
                report_id=report_id,
                sealed_key=crypto.seal(dek, file_key, attachment_aad(attachment_id, "key")),
                sealed_meta=crypto.seal(dek, meta.encode(), attachment_aad(attachment_id, "meta")),
            )
        )
    return rows


def _discard_files(rows: list[Attachment]) -> None:
    for row in rows:
        storage.delete(row.id)


def submit(
    content: dict,
    *,
    language: str,
    consent: str,
    region: str,
    files: list[CleanFile],
) -> Submitted:
    """Seal and store a new report. Returns it with the receipt (shown once, never kept)."""
    receipt = receipts.new()
    derived = receipts.derive(receipt, settings.RECEIPT_PEPPER)
    report_id = uuid.uuid4()
    dek = crypto.new_key()
    sealed = crypto.seal(
        dek, json.dumps(content, ensure_ascii=False).encode(), content_aad(report_id)
    )
    reporter_public = derived.reporter.public_key()
    wraps = [
        ReportKey(
            report_id=report_id,
            holder_id=recipient.holder_id,
            wrapped=crypto.wrap(dek, recipient.public, key_info(report_id, recipient.holder_id)),
        )
        for recipient in intake_holders()
    ]
    attachments = _seal_files(report_id, dek, files)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                id=report_id,
                language=language,
                consent=consent,
                region=region,
                schema_version=SCHEMA_VERSION,
                sealed_content=sealed,
                receipt_lookup=derived.lookup,
                reporter_public_key=reporter_public.to_bytes(),
                reporter_key=crypto.wrap(dek, reporter_public, reporter_key_info(report_id)),
            )
            ReportKey.objects.bulk_create(wraps)
            if attachments:
                Attachment.objects.bulk_create(attachments)
            transaction.on_commit(wake_dispatcher)
    except BaseException:
        _discard_files(attachments)
        raise
    return Submitted(report=report, receipt=receipt)


# ---- notices (content-free, after commit, survive a broker outage) ----


# A dispatch sends every pending notice, so one wake-up a second per process is
# enough under load; beat sends whatever is left (CELERY_BEAT_SCHEDULE). With the
# broker down, a try every 10 s is enough: each one can wait for its timeout.
WAKE_INTERVAL = 1.0
BROKER_RETRY_INTERVAL = 10.0
_last_wake = [0.0]
_broker_down = [False]


def _queue_notice(kind: str, subject: uuid.UUID) -> None:
    PendingNotice.objects.create(kind=kind, subject=subject)
    transaction.on_commit(wake_dispatcher)


def tasks_module():
    from . import tasks  # imported late: the task module imports this one

    return tasks


def wake_dispatcher() -> None:
    """Ask a worker to send pending notices, at most once a second from this process.
    The task message carries nothing at all."""
    now = time.monotonic()
    interval = BROKER_RETRY_INTERVAL if _broker_down[0] else WAKE_INTERVAL
    if now - _last_wake[0] < interval:
        return
    _last_wake[0] = now
    try:
        tasks_module().send_notices.delay()
    except Exception:  # noqa: BLE001 - a broker outage must not fail the submission
        if not _broker_down[0]:  # once per outage: a line per report would date each one
            log.warning("broker unreachable; notices are kept until it answers")
        _broker_down[0] = True
    else:
        if _broker_down[0]:
            log.warning("broker answers again")
        _broker_down[0] = False


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


# ---- return visits with the receipt ----


@dataclass
class OpenReport:
    """A report opened (its data key unwrapped) for the length of one request. Never stored."""

    report: Report
    dek: bytes = field(repr=False)


def open_with_receipt(receipt: str) -> OpenReport | None:
    """The report this receipt opens, or None. The key derivation comes before the
    lookup, so a receipt that matches nothing costs the same as one that matches."""
    derived = receipts.derive(receipt, settings.RECEIPT_PEPPER)
    key = derived.reporter
    report = Report.objects.filter(receipt_lookup=derived.lookup).first()
    if report is None:
        return None
    if not report.reporter_key:  # shredded
        return None
    try:
        dek = crypto.unwrap(bytes(report.reporter_key), key, reporter_key_info(report.id))
    except crypto.DecryptionError:
        return None
    return OpenReport(report=report, dek=dek)


@dataclass
class ThreadEntry:
    sender: str
    text: str
    sent_on: date
    attachment_count: int


def thread(access: OpenReport) -> list[ThreadEntry]:
    report = access.report
    entries = []
    for message in report.messages.all().prefetch_related("attachments"):
        body = crypto.open_(
            access.dek, bytes(message.sealed_body), message_aad(message.id, report.id)
        )
        entries.append(
            ThreadEntry(
                sender=message.sender,
                text=body.decode("utf-8"),
                sent_on=message.sent_on,
                attachment_count=len(message.attachments.all()),
            )
        )
    return entries


def add_message(access: OpenReport, sender: str, text: str, files: list[CleanFile]) -> Message:
    """A message sealed under the report's key, with optional files."""
    report = access.report
    message_id = uuid.uuid4()
    sealed = crypto.seal(access.dek, text.encode("utf-8"), message_aad(message_id, report.id))
    attachments = _seal_files(report.id, access.dek, files)
    try:
        with transaction.atomic():
            # The report row is locked so that two messages never take the same place.
            locked = Report.objects.select_for_update(no_key=True).filter(id=report.id)
            list(locked.values_list("id", flat=True))
            last = report.messages.aggregate(last=Max("number"))["last"] or 0
            message = Message.objects.create(
                id=message_id, report=report, sender=sender, sealed_body=sealed, number=last + 1
            )
            for row in attachments:
                row.message = message
            Attachment.objects.bulk_create(attachments)
            if sender == Message.Sender.REPORTER:
                _queue_notice(Notification.Kind.REPORTER_MESSAGE, report.id)
    except BaseException:
        _discard_files(attachments)
        raise
    return message


def change_consent(access: OpenReport, consent: str) -> None:
    if consent not in Consent.values:
        raise ValueError("unknown consent level")
    with transaction.atomic():
        Report.objects.filter(id=access.report.id).update(consent=consent)
        audit.record("reporter", Action.CONSENT_CHANGED, [access.report.id])
    access.report.consent = consent


def withdraw(access: OpenReport) -> None:
    """The reporter withdraws: nothing may be shared any more, and the report is
    shredded by the retention task after its grace period."""
    today = timezone.localdate()
    with transaction.atomic():
        Report.objects.filter(id=access.report.id).update(
            status=Status.WITHDRAWN, consent=Consent.INTERNAL, withdrawn_on=today
        )
        audit.record("reporter", Action.REPORT_WITHDRAWN, [access.report.id])
    access.report.status = Status.WITHDRAWN
    access.report.consent = Consent.INTERNAL
    access.report.withdrawn_on = today


def shred(report: Report) -> None:
    """Crypto-shredding: delete every wrapping of the report's key (the reporter's
    too) and its sealed blobs. What remains (ids, dates) opens nothing."""
    with transaction.atomic():
        blob_ids = list(report.attachments.values_list("id", flat=True))
        ReportKey.objects.filter(report=report).delete()
        report.attachments.all().delete()
        report.messages.all().delete()
        Report.objects.filter(id=report.id).update(sealed_content=b"", reporter_key=b"")
        audit.record("system", Action.REPORT_SHREDDED, [report.id])
        transaction.on_commit(lambda: [storage.delete(blob_id) for blob_id in blob_ids])


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
