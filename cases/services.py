"""Staff work on reports. A staff member opens a report only with a wrapping of its
data key made for their own key pair: no wrapping, no access, whatever the role.
Every opening is in the audit log."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

import crypto
from accounts import keyring
from accounts.keyring import NoAccess  # also "no such report": views catch it here
from accounts.models import Notification, Reason, Role, Staff
from audit import chain as audit
from audit.models import Action
from crypto.stream import iter_decrypt
from intake import returns, sealing, storage
from intake.models import Attachment, Message, Report, ReportKey, Status

from . import case_keys

PAGE_SIZE = 50
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


@dataclass
class InboxRow:
    report: Report
    name: str
    script: str


def _cursor(report: Report) -> str:
    return f"{report.received_on.isoformat()}_{report.id.hex}"


def _after(cursor: str) -> Q:
    """Rows older than the cursor in the inbox's order (received day, then id, descending)."""
    try:
        day, report_id = cursor.split("_")
        day, report_id = datetime.date.fromisoformat(day), uuid.UUID(report_id)
    except ValueError:
        return Q()
    return Q(received_on__lt=day) | Q(received_on=day, id__lt=report_id)


def inbox(
    staff: Staff, private_key: crypto.PrivateKey, before: str = ""
) -> tuple[list[InboxRow], str]:
    """One page of readable reports, names decrypted for that page's rows only.

    Keyset pagination: the next page starts after the last row shown, so a page
    deep in 100,000 reports costs what the first one does. Returns the rows and
    the cursor of the next (older) page, or "" at the end.
    """
    reports = list(
        readable(staff)
        .filter(_after(before) if before else Q())
        .defer("reporter_public_key", "reporter_key")
        .order_by("-received_on", "-id")[: PAGE_SIZE + 1]
    )
    more = len(reports) > PAGE_SIZE
    reports = reports[:PAGE_SIZE]
    ids = [report.id for report in reports]
    wraps = {
        row.report_id: row
        for row in ReportKey.objects.filter(report_id__in=ids, holder_id=staff.holder_id)
    }
    rows = []
    for report in reports:
        opened = sealing.OpenReport(report=report, dek=_unwrap(wraps[report.id], private_key))
        name, script = display_name(content(opened))
        rows.append(InboxRow(report=report, name=name, script=script))
    if ids:
        # One entry per page listed; the same page shown again today adds none.
        audit.record_listing(audit.staff_actor(staff), Action.INBOX_VIEWED, ids)
    return rows, _cursor(reports[-1]) if more else ""


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


def download(
    staff: Staff, opened: sealing.OpenReport, attachment_id: uuid.UUID
) -> tuple[FileInfo, Iterator[bytes]]:
    """The file's details and its plaintext, decrypted segment by segment as it is sent."""
    attachment = Attachment.objects.filter(id=attachment_id, report=opened.report).first()
    if attachment is None:
        raise NoAccess("no such file in this report")
    info = _file_info(opened, attachment)
    file_key = crypto.open_(
        opened.dek, bytes(attachment.sealed_key), sealing.attachment_aad(attachment_id, "key")
    )
    audit.record(
        audit.staff_actor(staff), Action.ATTACHMENT_DOWNLOADED, [opened.report.id, attachment_id]
    )

    def chunks() -> Iterator[bytes]:
        with storage.open_blob(attachment_id) as blob:
            yield from iter_decrypt(file_key, blob, sealing.attachment_aad(attachment_id, "file"))

    return info, chunks()


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
