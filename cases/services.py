"""Staff work on reports. A staff member opens a report only with a wrapping of its
data key made for their own key pair: no wrapping, no access, whatever the role.
Every opening is in the audit log."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import crypto
from accounts import keyring
from accounts.keyring import NoAccess  # also "no such report": views catch it here
from accounts.models import Notification, Reason, Role, Staff
from audit import chain as audit
from audit.models import Action
from crypto.stream import iter_decrypt
from intake import returns, sealing, storage
from intake.models import Attachment, Message, Report, ReportKey, Status

from . import case_keys, reading

ASSIGNABLE_ROLES = (Role.CASEWORKER, Role.REVIEWER)


def _unwrap(row: ReportKey, private_key: crypto.PrivateKey) -> bytes:
    return keyring.unwrap(row, private_key)


def readable(staff: Staff):
    """The reports this staff member holds a wrapping for."""
    return Report.objects.filter(keys__holder_id=staff.holder_id)


def open_report(
    staff: Staff, private_key: crypto.PrivateKey, report_id: uuid.UUID, record: bool = True
) -> sealing.OpenReport:
    """The report with its data key. `record=False` when the caller records the action
    the opening is for (a download, a message, an assignment) or records the page
    where the content is shown (record_opening): one entry per action."""
    row = (
        ReportKey.objects.select_related("report")
        .filter(report_id=report_id, holder_id=staff.holder_id)
        .first()
    )
    if row is None:
        raise NoAccess("no wrapping for this staff member")
    dek = _unwrap(row, private_key)
    if record:
        record_opening(staff, report_id)
    return sealing.OpenReport(report=row.report, dek=dek)


def record_opening(staff: Staff, report_id: uuid.UUID) -> None:
    """A report's content was shown: recorded once per staff member and day, and not
    after an action on it that day (audit.chain.record_view)."""
    audit.record_view(audit.staff_actor(staff), Action.REPORT_OPENED, report_id)


def content(opened: sealing.OpenReport) -> dict:
    report = opened.report
    raw = crypto.open_(opened.dek, bytes(report.sealed_content), sealing.content_aad(report.id))
    return json.loads(raw)


def display_name(data: dict) -> tuple[str, str]:
    """The missing person's first name as written, and its script."""
    names = data.get("missing", {}).get("names") or [{"name": "", "script": ""}]
    return names[0]["name"], names[0]["script"]


def replies_read(opened: sealing.OpenReport) -> sealing.OpenReport:
    """A holder opened the report: the reporter's messages are read, and the inbox's
    "reporter replied" marker goes."""
    report = opened.report
    if report.replied_on is not None:
        Report.objects.filter(id=report.id).update(replied_on=None)
        report.replied_on = None
    return opened


@dataclass
class FileInfo:
    id: uuid.UUID
    name: str
    kind: str
    size: int


def _file_info(opened: sealing.OpenReport, attachment: Attachment) -> FileInfo:
    meta = json.loads(
        crypto.open_(
            opened.dek, bytes(attachment.sealed_meta), sealing.attachment_aad(attachment.id, "meta")
        )
    )
    return FileInfo(attachment.id, meta["name"], meta["kind"], meta["size"])


def files(opened: sealing.OpenReport) -> list[FileInfo]:
    return [_file_info(opened, a) for a in opened.report.attachments.order_by("added_on", "id")]


def _attachment(opened: sealing.OpenReport, attachment_id: uuid.UUID) -> Attachment:
    attachment = Attachment.objects.filter(id=attachment_id, report=opened.report).first()
    if attachment is None:
        raise NoAccess("no such file in this report")
    return attachment


def _plaintext(
    staff: Staff,
    opened: sealing.OpenReport,
    attachment: Attachment,
    action: str = Action.ATTACHMENT_DOWNLOADED,
) -> Iterator[bytes]:
    """The file decrypted segment by segment as it is sent; its audit entry. Every
    download is recorded; a preview once per staff member, file and day, since the
    report page shows it on each view."""
    attachment_id = attachment.id
    file_key = crypto.open_(
        opened.dek, bytes(attachment.sealed_key), sealing.attachment_aad(attachment_id, "key")
    )
    subjects = [opened.report.id, attachment_id]
    if action == Action.ATTACHMENT_PREVIEWED:
        audit.record_listing(audit.staff_actor(staff), action, subjects)
    else:
        audit.record(audit.staff_actor(staff), action, subjects)

    def chunks() -> Iterator[bytes]:
        with storage.open_blob(attachment_id) as blob:
            yield from iter_decrypt(file_key, blob, sealing.attachment_aad(attachment_id, "file"))

    return chunks()


def download(
    staff: Staff, opened: sealing.OpenReport, attachment_id: uuid.UUID
) -> tuple[FileInfo, Iterator[bytes]]:
    """The file's details and its plaintext, decrypted segment by segment as it is sent."""
    attachment = _attachment(opened, attachment_id)
    info = _file_info(opened, attachment)
    return info, _plaintext(staff, opened, attachment)


class NoPreview(Exception):
    """The file is not an image re-encoded at intake: it has no inline preview."""


def preview(
    staff: Staff, private_key: crypto.PrivateKey, report_id: uuid.UUID, attachment_id: uuid.UUID
) -> tuple[str, Iterator[bytes]]:
    """An image attachment's content type and plaintext, to be shown inline on the report
    page. Only images qualify: they were decoded and encoded again from their pixels at
    intake (intake.cleaning.images). The same access rule as a download (a wrapping, or
    NoAccess), recorded as a preview once per staff member, file and day. No "report
    opened" entry: the page that shows it records its own."""
    opened = open_report(staff, private_key, report_id, record=False)
    attachment = _attachment(opened, attachment_id)
    content_type = reading.preview_type(_file_info(opened, attachment).kind)
    if content_type is None:
        raise NoPreview("only images have a preview")
    return content_type, _plaintext(staff, opened, attachment, Action.ATTACHMENT_PREVIEWED)


def assign(
    granter: Staff, granter_key: crypto.PrivateKey, report_id: uuid.UUID, caseworker: Staff
) -> None:
    """Give a caseworker the case: the granter, who can open the report, wraps its key,
    and the person's and every other report's of the case (cases.case_keys), for the
    caseworker's public key."""
    if caseworker.role not in ASSIGNABLE_ROLES or not caseworker.is_active:
        raise ValueError("only an active caseworker or reviewer can be assigned")
    opened = open_report(granter, granter_key, report_id, record=False)
    with transaction.atomic():
        case_keys.share(
            granter.holder,
            granter_key,
            report_id,
            to={caseworker.holder_id: Reason.ASSIGNED},
            known={(ReportKey, report_id): opened.dek},
        )
        Report.objects.filter(id=report_id, status__in=[Status.RECEIVED, Status.IN_REVIEW]).update(
            status=Status.FOLLOWED
        )
        Report.objects.filter(id=report_id).update(active_on=timezone.localdate())
        Notification.objects.create(
            staff=caseworker, kind=Notification.Kind.ASSIGNED, subject=report_id
        )
        audit.record(audit.staff_actor(granter), Action.REPORT_ASSIGNED, [report_id, caseworker.pk])


def revoke(actor: Staff, report_id: uuid.UUID, staff: Staff) -> None:
    """Remove a staff member's access to the case: their wrappings of its keys go."""
    with transaction.atomic():
        case_keys.take_back(staff.holder_id, report_id)
        audit.record(audit.staff_actor(actor), Action.KEY_REVOKED, [report_id, staff.pk])


def ask_reporter(staff: Staff, opened: sealing.OpenReport, text: str) -> Message:
    """A message to the reporter, sealed under the report's key (which the reporter's
    receipt opens): the reporter reads it at /receipt/."""
    with transaction.atomic():
        message = returns.add_message(opened, Message.Sender.STAFF, text, [])
        audit.record(audit.staff_actor(staff), Action.MESSAGE_SENT, [opened.report.id, message.id])
    return message
