"""What sealed storage holds in memory and how fast it moves a large blob, per backend.

For each backend (the local folder; S3 on moto's server, a local emulator process, or
the server AMANAT_TEST_S3_ENDPOINT names): write a blob of SIZE MiB from 1 MiB chunks,
read it back in 64 KiB pieces, and print the wall time and the peak memory Python
allocated inside each call (tracemalloc; the caller's chunk is not counted).
Run: .venv/bin/python bench/storage.py [SIZE_MIB]   (default 256)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MiB = 1024 * 1024


def measure(size_mib: int) -> None:
    from intake import storage

    chunk = os.urandom(MiB)
    blob = uuid.uuid4()
    storage.delete(blob)  # the client is made (and its service model loaded) beforehand
    tracemalloc.start()
    start = time.perf_counter()
    storage.write(blob, (chunk for _ in range(size_mib)))
    wrote = time.perf_counter() - start
    write_peak = tracemalloc.get_traced_memory()[1] / MiB
    tracemalloc.stop()
    tracemalloc.start()
    start, got = time.perf_counter(), 0
    with storage.open_blob(blob) as reader:
        while piece := reader.read(64 * 1024):
            got += len(piece)
    read = time.perf_counter() - start
    read_peak = tracemalloc.get_traced_memory()[1] / MiB
    tracemalloc.stop()
    storage.delete(blob)
    assert got == size_mib * MiB
    name = storage.backend().__name__.rsplit(".", 1)[1]
    print(
        f"{name:6} {size_mib} MiB: write {wrote:5.2f} s ({size_mib / wrote:6.1f} MiB/s), "
        f"peak {write_peak:5.1f} MiB | read {read:5.2f} s ({size_mib / read:6.1f} MiB/s), "
        f"peak {read_peak:5.2f} MiB"
    )


def main() -> None:
    os.environ.setdefault("AMANAT_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import override_settings

    from intake.storage import s3
    from tests.s3 import MotoServer, new_bucket

    size_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    print(f"S3 part size {s3.PART_SIZE // MiB} MiB")
    with tempfile.TemporaryDirectory() as folder, override_settings(SEALED_STORAGE_DIR=folder):
        measure(size_mib)
    moto = None if os.environ.get("AMANAT_TEST_S3_ENDPOINT") else MotoServer().start()
    try:
        bucket = new_bucket(moto.endpoint if moto else "")
        with override_settings(**bucket.settings()):
            measure(size_mib)
        bucket.remove()
    finally:
        if moto is not None:
            moto.kill()


if __name__ == "__main__":
    main()
