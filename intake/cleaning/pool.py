"""A bounded pool of cleaner children, shared by every web worker of one installation.

Each slot is a lock file held with flock(2): the kernel frees it when the holder exits, however
it exits, so a killed web worker never leaks a slot. A request that finds every slot taken waits
a little, then is told to try again: hostile files can keep at most `count` workers cleaning,
and the other workers keep answering. The files hold no data: they are only locked.

Plain Python, no Django: the caller passes the folder, the number of slots and the wait.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

POLL_SECONDS = 0.05


class Busy(Exception):
    """Every slot stayed taken for the whole wait."""


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def slot(directory: Path | str, count: int, wait_seconds: float) -> Iterator[int]:
    """Hold one of `count` slots while the block runs; raise Busy after `wait_seconds`."""
    folder = Path(directory)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        for number in range(max(1, count)):
            fd = _try_lock(folder / f"slot-{number}")
            if fd is not None:
                try:
                    yield number
                finally:
                    os.close(fd)  # closing the descriptor releases the lock
                return
        if time.monotonic() >= deadline:
            raise Busy
        time.sleep(POLL_SECONDS)
