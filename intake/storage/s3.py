"""Sealed blobs in S3-compatible object storage, when SEALED_STORAGE_URL is set
(s3://bucket or s3://bucket/prefix): every web node and worker then reads and writes
the same blobs, and none keeps anything a request needs on its own disk.

Objects are named by the blob's opaque id alone and carry no metadata of ours. The
provider still sees each object's size and its write time to the second (S3 keeps
LastModified; nothing here can set it back to the day as the local folder does):
see docs/THREAT_MODEL.md. Server-side encryption is not relied on: blobs are sealed.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings

# Parts of a multipart upload: the most this layer holds of a blob at once (S3 wants
# at least 5 MiB for every part but the last). A blob smaller than one part is sent
# with a single PUT.
PART_SIZE = 8 * 1024 * 1024

_clients: dict[tuple[object, ...], Any] = {}
_clients_lock = threading.Lock()


def _location() -> tuple[str, str]:
    """The bucket and the key prefix ("" or ending in "/") of SEALED_STORAGE_URL."""
    bucket, _, prefix = settings.SEALED_STORAGE_URL.removeprefix("s3://").partition("/")
    prefix = prefix.strip("/")
    return bucket, f"{prefix}/" if prefix else ""


def _client(probe: bool = False) -> Any:
    """A boto3 client for the configured endpoint, made once per process (they are
    thread-safe; sessions are not). A probe's client gives up fast: a health check
    must not be held by an endpoint that does not answer."""
    key = (
        probe,
        settings.SEALED_STORAGE_ENDPOINT,
        settings.SEALED_STORAGE_REGION,
        settings.SEALED_STORAGE_ADDRESSING,
        settings.SEALED_STORAGE_ACCESS_KEY_ID,
        settings.SEALED_STORAGE_SECRET_ACCESS_KEY,
    )
    with _clients_lock:
        if key not in _clients:
            config = Config(
                connect_timeout=1 if probe else 3,
                read_timeout=2 if probe else 30,
                retries={"mode": "standard", "total_max_attempts": 1 if probe else 3},
                s3={"addressing_style": settings.SEALED_STORAGE_ADDRESSING},
                signature_version="s3v4",
                # boto3's own names the kernel, Python and machine of the server to the
                # provider in every request: a fingerprint for whoever reads them there.
                user_agent="Amanat",
                # Integrity comes from the sealing (each segment authenticated); the
                # newer default checksums are refused by some S3-compatible servers.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
            _clients[key] = boto3.session.Session().client(
                "s3",
                endpoint_url=settings.SEALED_STORAGE_ENDPOINT or None,
                region_name=settings.SEALED_STORAGE_REGION or None,
                aws_access_key_id=settings.SEALED_STORAGE_ACCESS_KEY_ID or None,
                aws_secret_access_key=settings.SEALED_STORAGE_SECRET_ACCESS_KEY or None,
                config=config,
            )
        return _clients[key]


def object_key(blob_id: uuid.UUID) -> str:
    return _location()[1] + blob_id.hex


def write(blob_id: uuid.UUID, chunks: Iterable[bytes]) -> None:
    """Send the sealed chunks as one object: a single PUT when they fit in one part,
    else a multipart upload, part by part as the chunks come. The object appears only
    when the upload completes; on any failure the upload is aborted before the error
    rises, so nothing half-written stays (a killed process leaves an incomplete upload,
    which sweep_partials aborts)."""
    client = _client()
    bucket, key = _location()[0], object_key(blob_id)
    upload_id = None
    parts: list[dict[str, Any]] = []
    buffer = bytearray()
    try:
        for chunk in chunks:
            buffer += chunk
            if len(buffer) < PART_SIZE:
                continue
            if upload_id is None:
                upload_id = client.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
            parts.append(_send_part(client, bucket, key, upload_id, len(parts) + 1, buffer))
            buffer = bytearray()
        if upload_id is None:
            client.put_object(Bucket=bucket, Key=key, Body=buffer)
            return
        if buffer:
            parts.append(_send_part(client, bucket, key, upload_id, len(parts) + 1, buffer))
        client.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )
    except BaseException:
        if upload_id is not None:
            with contextlib.suppress(Exception):  # the endpoint may be what failed
                client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        raise


def _send_part(
    client: Any, bucket: str, key: str, upload_id: str, number: int, body: bytearray
) -> dict[str, Any]:
    answer = client.upload_part(
        Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body
    )
    return {"PartNumber": number, "ETag": answer["ETag"]}


def open_blob(blob_id: uuid.UUID) -> BinaryIO:
    """The object's body, read from the network as the caller reads it."""
    bucket, key = _location()[0], object_key(blob_id)
    try:
        body: BinaryIO = _client().get_object(Bucket=bucket, Key=key)["Body"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            raise FileNotFoundError(f"no sealed blob {blob_id.hex}") from None
        raise
    return body


def delete(blob_id: uuid.UUID) -> None:
    _client().delete_object(Bucket=_location()[0], Key=object_key(blob_id))


def _cutoff(older_than: float) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=older_than)


def stale_blobs(older_than: float = 3600.0) -> list[uuid.UUID]:
    """Ids of the blobs whose object was written more than `older_than` seconds ago
    (by the provider's LastModified)."""
    bucket, prefix = _location()
    cutoff = _cutoff(older_than)
    found = []
    pages = _client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    for page in pages:
        for item in page.get("Contents", []):
            name = item["Key"][len(prefix) :]
            if len(name) != 32 or item["LastModified"] >= cutoff:
                continue
            with contextlib.suppress(ValueError):  # not a blob (a probe, another tool's)
                found.append(uuid.UUID(hex=name))
    return found


def sweep_partials(older_than: float = 3600.0) -> int:
    """Abort the multipart uploads started more than `older_than` seconds ago: a killed
    process left them (no handler runs on SIGKILL). Returns how many."""
    bucket, prefix = _location()
    client = _client()
    cutoff = _cutoff(older_than)
    removed = 0
    pages = client.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=prefix)
    for page in pages:
        for upload in page.get("Uploads", []):
            if upload["Initiated"] >= cutoff:
                continue
            with contextlib.suppress(ClientError):  # aborted meanwhile by another node
                client.abort_multipart_upload(
                    Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                )
                removed += 1
    return removed


def probe() -> None:
    """Check the bucket exists (some servers would make it on a write), put a small
    object and delete it, each with short timeouts and no retry; raises when the bucket
    does not take a write."""
    client = _client(probe=True)
    bucket, prefix = _location()
    client.head_bucket(Bucket=bucket)
    key = f"{prefix}.probe-{secrets.token_hex(8)}"
    client.put_object(Bucket=bucket, Key=key, Body=b"\0" * 16)
    client.delete_object(Bucket=bucket, Key=key)
