"""Where sealed attachment blobs live: one blob per attachment, named by its opaque id.

Only ciphertext is ever written here: callers hand over an encryptor's output. Two
backends keep the same contract: a local folder (`local`, the default) and
S3-compatible object storage (`s3`, when SEALED_STORAGE_URL is set), so web nodes
on several machines share the blobs. Both stream: a write takes chunks, a read
returns a file-like object, and neither holds a whole blob in memory.

- write: the blob appears whole or not at all; on any failure nothing stays.
- open_blob: a readable binary file; FileNotFoundError when there is no such blob.
- delete: gone (no error when it was already gone).
- stale_blobs / sweep_partials: what a killed process may have left, for the sweeps.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from django.conf import settings

from . import local


def backend() -> ModuleType:
    """The backend the settings choose, read at each call (tests switch it). boto3 is
    imported only when a bucket is set: a quarter of a second at each process start."""
    if not settings.SEALED_STORAGE_URL:
        return local
    from . import s3

    return s3


def write(blob_id: uuid.UUID, chunks: Iterable[bytes]) -> None:
    backend().write(blob_id, chunks)


def open_blob(blob_id: uuid.UUID) -> BinaryIO:
    blob: BinaryIO = backend().open_blob(blob_id)
    return blob


def delete(blob_id: uuid.UUID) -> None:
    backend().delete(blob_id)


def stale_blobs(older_than: float = 3600.0) -> list[uuid.UUID]:
    """Ids of the blobs last written more than `older_than` seconds ago."""
    found: list[uuid.UUID] = backend().stale_blobs(older_than)
    return found


def sweep_partials(older_than: float = 3600.0) -> int:
    """Remove half-written blobs a killed process left (partial files, incomplete
    multipart uploads) older than any write still under way; returns how many."""
    removed: int = backend().sweep_partials(older_than)
    return removed


def probe() -> None:
    """A small write and its removal; raises when storage cannot take one."""
    backend().probe()


def path_for(blob_id: uuid.UUID) -> Path:
    """The local folder's file for a blob (the local backend only)."""
    return local.path_for(blob_id)
