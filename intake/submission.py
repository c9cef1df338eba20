"""Sealing new reports: everything a reporter sends is encrypted in memory and only
ciphertext and wrapped keys are written, in one transaction (docs/KEYS.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

import crypto
from accounts.models import KeyHolder, Organisation, Role, Staff

from . import receipts
from .models import Attachment, Report, ReportKey, UsedFormId
from .notices import wake_dispatcher
from .sealing import (
    SCHEMA_VERSION,
    CleanFile,
    content_aad,
    discard_files,
    key_info,
    reporter_key_info,
    seal_files,
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
# The public keys themselves (about 1.2 KB each) are read only for fingerprints this
# process has not parsed yet, so a submission reads ids and fingerprints alone.
_HOLDERS_SQL = """
    SELECT h.id, h.kind, h.fingerprint
      FROM {holder} h JOIN {staff} s ON s.holder_id = h.id
     WHERE s.role = %s AND s.is_active
    UNION ALL
    SELECT h.id, h.kind, h.fingerprint
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
    if not any(kind == KeyHolder.Kind.RECOVERY for _, kind, _ in rows):
        raise NotReady("run `manage.py bootstrap` before accepting reports")
    unknown = [holder_id for holder_id, _, fingerprint in rows if fingerprint not in _public_keys]
    if unknown:
        for fingerprint, public_key in KeyHolder.objects.filter(id__in=unknown).values_list(
            "fingerprint", "public_key"
        ):
            _public(fingerprint, bytes(public_key))
    return [
        Recipient(holder_id=_uuid(holder_id), public=_public_keys[fingerprint])
        for holder_id, _, fingerprint in rows
    ]


def _uuid(value) -> uuid.UUID:
    """SQLite returns UUID columns as hex strings, PostgreSQL as UUIDs."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


# ---- the form's one-time id ----


class AlreadySent(Exception):
    """This form's report was stored before (a reload or a second click sends it again)."""


def form_digest(form_id: str) -> uuid.UUID:
    """A keyed hash of the form's one-time id: the id itself is never stored."""
    key = hmac.new(settings.RATELIMIT_SECRET, b"amanat/form-id", hashlib.sha256).digest()
    return uuid.UUID(bytes=hmac.new(key, form_id.encode(), hashlib.sha256).digest()[:16])


def already_sent(form_id: str) -> bool:
    """Whether a report was stored from this form (a cheap look before any work)."""
    return bool(form_id) and UsedFormId.objects.filter(digest=form_digest(form_id)).exists()


# The form page's id is 16 random bytes (22 characters of URL-safe base64): only an id
# at least that long seals a receipt, so a key is never derived from a guessable id.
FORM_ID_MIN_LENGTH = 22


def _receipt_key(form_id: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"amanat/form-receipt")
    return hkdf.derive(form_id.encode())


def _receipt_aad(digest: uuid.UUID) -> bytes:
    return crypto.associated_data("used-form-receipt", digest.bytes)


def _seal_receipt(form_id: str, digest: uuid.UUID, receipt: str) -> bytes | None:
    if len(form_id) < FORM_ID_MIN_LENGTH:
        return None
    return crypto.seal(_receipt_key(form_id), receipt.encode(), _receipt_aad(digest))


def stored_receipt(form_id: str) -> str | None:
    """The receipt of the report stored from this form, when it was sent before and its
    answer may have been lost; None if the form was not used or keeps no receipt."""
    if len(form_id) < FORM_ID_MIN_LENGTH:
        return None
    digest = form_digest(form_id)
    row = UsedFormId.objects.filter(digest=digest).values_list("sealed_receipt", flat=True)
    sealed = row.first()
    if not sealed:
        return None
    try:
        return crypto.open_(_receipt_key(form_id), bytes(sealed), _receipt_aad(digest)).decode()
    except crypto.CryptoError:
        return None


def forget_used_form_ids(keep_days: int = 1) -> int:
    """Forget the ids of forms stored before yesterday; returns how many."""
    cutoff = timezone.localdate() - timedelta(days=keep_days)
    deleted, _ = UsedFormId.objects.filter(used_on__lt=cutoff).delete()
    return deleted


# ---- submission ----


@dataclass
class Submitted:
    report: Report
    receipt: str = field(repr=False)


def submit(
    content: dict,
    *,
    language: str,
    consent: str,
    region: str,
    files: list[CleanFile],
    form_id: str = "",
) -> Submitted:
    """Seal and store a new report. Returns it with the receipt (shown once, never kept).

    The form's one-time id is used up in the transaction that stores the report, so
    a worker killed before the commit leaves the form unused (AlreadySent otherwise).
    """
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
    attachments = seal_files(report_id, dek, files)
    try:
        with transaction.atomic():
            if form_id:
                # Two sends of one form at once: the second waits on this unique key
                # until the first commits, then finds it taken.
                digest = form_digest(form_id)
                UsedFormId.objects.create(
                    digest=digest, sealed_receipt=_seal_receipt(form_id, digest, receipt)
                )
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
    except BaseException as exc:
        discard_files(attachments)
        if isinstance(exc, IntegrityError) and already_sent(form_id):
            raise AlreadySent from None
        raise
    return Submitted(report=report, receipt=receipt)
