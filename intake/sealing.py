"""What every sealed piece of a report is bound to, and how files are sealed.

Each ciphertext carries associated data (or an HPKE info string) naming its place,
so a blob moved to another row or report does not open. These strings are pinned:
changing one makes every stored report unreadable.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import crypto
from crypto.stream import StreamEncryptor

from . import storage
from .models import Attachment, Report

SCHEMA_VERSION = 1


def content_aad(report_id: uuid.UUID) -> bytes:
    return crypto.associated_data("intake.report", report_id.hex, "content", SCHEMA_VERSION)


def key_info(report_id: uuid.UUID, holder_id: uuid.UUID) -> bytes:
    return f"amanat/report-key/{report_id.hex}/holder/{holder_id.hex}".encode()


def reporter_key_info(report_id: uuid.UUID) -> bytes:
    return f"amanat/report-key/{report_id.hex}/reporter".encode()


def attachment_aad(attachment_id: uuid.UUID, part: str) -> bytes:
    return crypto.associated_data("intake.attachment", attachment_id.hex, part, SCHEMA_VERSION)


def sharing_aad(sharing_id: uuid.UUID, report_id: uuid.UUID) -> bytes:
    return crypto.associated_data(
        "intake.sharing", sharing_id.hex, report_id.hex, "notice", SCHEMA_VERSION
    )


def message_aad(message_id: uuid.UUID, report_id: uuid.UUID) -> bytes:
    return crypto.associated_data(
        "intake.message", message_id.hex, report_id.hex, "body", SCHEMA_VERSION
    )


@dataclass
class CleanFile:
    """An upload whose metadata was already removed (intake.sanitise)."""

    name: str = field(repr=False)
    kind: str
    data: bytes = field(repr=False)


@dataclass
class OpenReport:
    """A report opened (its data key unwrapped) for the length of one request. Never stored."""

    report: Report
    dek: bytes = field(repr=False)


def seal_files(report_id: uuid.UUID, dek: bytes, files: list[CleanFile]) -> list[Attachment]:
    """Stream-encrypt each file into storage under its own key; return unsaved rows.
    If one write fails, the blobs already written are removed before the error rises."""
    rows: list[Attachment] = []
    try:
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
                    sealed_meta=crypto.seal(
                        dek, meta.encode(), attachment_aad(attachment_id, "meta")
                    ),
                )
            )
    except BaseException:
        discard_files(rows)
        raise
    return rows


def discard_files(rows: list[Attachment]) -> None:
    for row in rows:
        storage.delete(row.id)
