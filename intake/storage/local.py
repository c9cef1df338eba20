"""Sealed blobs in a local folder (the default): one file per attachment, named by its
opaque id, under SEALED_STORAGE_DIR.

The folders are their owner's only, and a blob's times keep only the day it was
written (like the report it belongs to).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
import time
import uuid
from collections.abc import Iterable
from datetime import datetime
from datetime import time as clock_time
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
    day = datetime.combine(
        timezone.localdate(), clock_time.min, tzinfo=timezone.get_current_timezone()
    )
    stamp = int(day.timestamp())
    for path in paths:
        os.utime(path, (stamp, stamp))


def path_for(blob_id: uuid.UUID) -> Path:
    return _root() / blob_id.hex


def write(blob_id: uuid.UUID, chunks: Iterable[bytes]) -> None:
    """Write the sealed chunks, then rename into place so a reader never sees half a
    blob. On any failure (a full or read-only disk, an interrupted write) the partial
    file is removed before the error rises: nothing half-written stays behind."""
    final = path_for(blob_id)
    partial = final.with_suffix(".partial")
    try:
        with open(partial, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(final)
        _keep_only_the_day(final, final.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise


def open_blob(blob_id: uuid.UUID) -> BinaryIO:
    return open(path_for(blob_id), "rb")


def delete(blob_id: uuid.UUID) -> None:
    path = path_for(blob_id)
    path.unlink(missing_ok=True)
    _keep_only_the_day(path.parent)


def _stale(path: Path, cutoff: float) -> bool:
    # ctime, not mtime: a file's modification time may be set back to its day, while
    # ctime always says when it was last written or changed.
    return path.stat().st_ctime < cutoff


def sweep_partials(older_than: float = 3600.0) -> int:
    """Remove partial files a killed process left (no handler runs on SIGKILL);
    returns how many. Only files older than any write still under way."""
    cutoff = time.time() - older_than
    removed = 0
    for path in _root().glob("*.partial"):
        with contextlib.suppress(FileNotFoundError):
            if _stale(path, cutoff):
                path.unlink()
                removed += 1
    return removed


def stale_blobs(older_than: float = 3600.0) -> list[uuid.UUID]:
    """Ids of the blobs last written more than `older_than` seconds ago."""
    cutoff = time.time() - older_than
    found = []
    for path in _root().iterdir():
        with contextlib.suppress(FileNotFoundError, ValueError):
            if path.suffix != ".partial" and _stale(path, cutoff):
                found.append(uuid.UUID(hex=path.name))
    return found


def probe() -> None:
    """Write a small file, flush it to disk and remove it; raises when the folder is
    read-only, full or missing and cannot be made."""
    folder = Path(settings.SEALED_STORAGE_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-") as handle:
        handle.write(b"\0" * 4096)  # a block: a full disk refuses it at the flush
        handle.flush()
        os.fsync(handle.fileno())
