"""Return visits: a receipt opens its report for one request, to read the thread,
add a message, change consent or withdraw. Nothing is remembered between requests."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

import crypto
from accounts.models import Notification
from audit import chain as audit
from audit.models import Action

from . import receipts
from .models import Attachment, Consent, Message, Report, Sharing, Status, UsedFormId
from .notices import queue_notice
from .sealing import (
    CleanFile,
    OpenReport,
    discard_files,
    message_aad,
    reporter_key_info,
    seal_files,
    sharing_aad,
)
from .submission import AlreadySent, already_sent, form_digest

# Sent inside the transaction that changes a report's consent (or withdraws it), with
# `report_id` and the new `consent`: what was prepared under the old consent and is no
# longer allowed is stopped at once (disclosure), with no key. A receiver that fails
# undoes the change, so the reporter is never told of a change that did not stop it.
consent_changed = Signal()


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


def message_form_id(form_id: str) -> str:
    """A message form's one-time id, kept apart from the report forms' ids."""
    return f"message:{form_id}" if form_id else ""


def message_sent(form_id: str) -> bool:
    """Whether a message was stored from this form before (a reload)."""
    return already_sent(message_form_id(form_id))


def add_message(
    access: OpenReport, sender: str, text: str, files: list[CleanFile], form_id: str = ""
) -> Message:
    """A message sealed under the report's key, with optional files. The form's
    one-time id is used up in the transaction that stores the message, so a reload
    stores nothing twice (AlreadySent)."""
    report = access.report
    message_id = uuid.uuid4()
    sealed = crypto.seal(access.dek, text.encode("utf-8"), message_aad(message_id, report.id))
    attachments = seal_files(report.id, access.dek, files)
    try:
        with transaction.atomic():
            if form_id:
                UsedFormId.objects.create(digest=form_digest(message_form_id(form_id)))
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
            this = Report.objects.filter(id=report.id)
            this.update(active_on=timezone.localdate())
            if sender == Message.Sender.REPORTER:
                queue_notice(Notification.Kind.REPORTER_MESSAGE, report.id)
                # Unread until a holder opens the report; the oldest unread day is kept.
                this.filter(replied_on__isnull=True).update(replied_on=timezone.localdate())
    except BaseException as exc:
        discard_files(attachments)
        if isinstance(exc, IntegrityError) and message_sent(form_id):
            raise AlreadySent from None
        raise
    return message


def change_consent(access: OpenReport, consent: str) -> None:
    if consent not in Consent.values:
        raise ValueError("unknown consent level")
    with transaction.atomic():
        Report.objects.filter(id=access.report.id).update(
            consent=consent, active_on=timezone.localdate()
        )
        consent_changed.send(sender=Report, report_id=access.report.id, consent=consent)
        audit.record("reporter", Action.CONSENT_CHANGED, [access.report.id])
    access.report.consent = consent


def withdraw(access: OpenReport) -> None:
    """The reporter withdraws: nothing may be shared any more, and the report is
    shredded by the retention task after its grace period."""
    today = timezone.localdate()
    with transaction.atomic():
        Report.objects.filter(id=access.report.id).update(
            status=Status.WITHDRAWN, consent=Consent.INTERNAL, withdrawn_on=today, active_on=today
        )
        consent_changed.send(sender=Report, report_id=access.report.id, consent=Consent.INTERNAL)
        audit.record("reporter", Action.REPORT_WITHDRAWN, [access.report.id])
    access.report.status = Status.WITHDRAWN
    access.report.consent = Consent.INTERNAL
    access.report.withdrawn_on = today


def record_sharing(report_id: uuid.UUID, dek: bytes, recipient: str, kind: str) -> Sharing:
    """Tell the reporter, on their receipt page, that the report was sent to `recipient`
    (plain words) of `kind` (a disclosure recipient kind) today. Sealed under the
    report's key; called inside the release's transaction."""
    sharing_id = uuid.uuid4()
    notice = {"recipient": recipient, "kind": kind}
    sealed = crypto.seal(dek, json.dumps(notice).encode(), sharing_aad(sharing_id, report_id))
    return Sharing.objects.create(id=sharing_id, report_id=report_id, sealed_notice=sealed)


@dataclass
class Shared:
    recipient: str = field(repr=False)  # a journalist's name is not for a traceback
    kind: str
    on: date


def sharings(access: OpenReport) -> list[Shared]:
    """What was sent from the report to whom, oldest first (days only)."""
    out = []
    for row in access.report.sharings.all():
        raw = crypto.open_(access.dek, bytes(row.sealed_notice), sharing_aad(row.id, row.report_id))
        notice = json.loads(raw)
        out.append(Shared(notice["recipient"], notice["kind"], row.shared_on))
    return out
