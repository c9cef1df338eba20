"""Where sealed attachment blobs live: one file per attachment, named by its opaque id.

Only ciphertext is ever written here: callers hand over an encryptor's output.
The folders are their owner's only, and a blob's times keep only the day it was
written (like the report it belongs to).
"""

from __future__ import annotations

import logging
import os
import stat
import uuid
from collections.abc import Iterable
from datetime import datetime, time
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


def _root() -> Path:
    root = Path(settings.SEALED_STORAGE_DIR) / "attachments"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for folder in (root.parent, root):  # also when an older version made them 0755
        if stat.S_IMODE(folder.stat().st_mode) != 0o700:
            try:
                folder.chmod(0o700)
            except PermissionError:  # not ours: blobs are ciphertext, keep accepting them
                log.warning("%s is not 0700 and cannot be made so", folder)
    return root


def _keep_only_the_day(*paths: Path) -> None:
    """Set access and modification times to midnight of today: a blob, and the folder
    whose entry it changed, would otherwise date a report to the nanosecond. (The
    inode change time cannot be set; see docs/THREAT_MODEL.md.)"""
    day = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    stamp = int(day.timestamp())
    for path in paths:
        os.utime(path, (stamp, stamp))


def path_for(blob_id: uuid.UUID) -> Path:
    return _root() / blob_id.hex


def write(blob_id: uuid.UUID, chunks: Iterable[bytes]) -> None:
    """Write the sealed chunks, then rename into place so a reader never sees half a blob."""
    final = path_for(blob_id)
    partial = final.with_suffix(".partial")
    with open(partial, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(final)
    _keep_only_the_day(final, final.parent)


def open_blob(blob_id: uuid.UUID) -> BinaryIO:
    return open(path_for(blob_id), "rb")


def delete(blob_id: uuid.UUID) -> None:
    path = path_for(blob_id)
    path.unlink(missing_ok=True)
    _keep_only_the_day(path.parent)
