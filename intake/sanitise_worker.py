"""The child process of `intake.sanitise`: stdin -> file without metadata -> stdout.

Usage: python -m intake.sanitise_worker KIND CPU_SECONDS < upload > clean. Exits non-zero on any
problem (see EXIT_* in intake.sanitise). It limits its own resources before it reads a byte, and
imports the parsers (Pillow, PDFium, pikepdf, lxml) only after that. The cleaning itself is in
intake/cleaning/: images.py, pdf.py, office.py (with xml.py).
"""

import ctypes
import os
import resource
import signal
import sys
import zipfile

from intake.sanitise import (
    EXIT_CLEANED_TOO_LARGE,
    EXIT_TOO_LARGE,
    EXIT_UNREADABLE,
    MAX_CPU_SECONDS,
    MAX_INPUT_BYTES,
    detect,
    output_cap,
)

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4


def limit_resources(cpu_seconds: int = MAX_CPU_SECONDS, parent: int = 0) -> None:
    cpu_seconds = max(1, min(cpu_seconds, MAX_CPU_SECONDS))
    limits = {
        resource.RLIMIT_AS: 1024**3,  # a bomb hits MemoryError instead of the machine
        resource.RLIMIT_CPU: cpu_seconds,  # SIGXCPU: endless loops end, the budget holds
        resource.RLIMIT_FSIZE: 0,  # may not write files: no plaintext on disk, ever
        resource.RLIMIT_CORE: 0,  # a crash must not dump the upload to disk
        resource.RLIMIT_NOFILE: 32,
    }
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))
    # Not dumpable: no core dump through a core_pattern pipe, no ptrace by same-user processes.
    libc = ctypes.CDLL(None)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # Killed with the web worker that started us: otherwise a hostile file keeps a CPU busy,
    # re-parented, after its worker was killed (timeout, restart, OOM), outside any slot.
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The worker may have died before the line above: then we already belong to another.
    if os.getppid() == 1 or (parent and os.getppid() != parent):
        os._exit(EXIT_UNREADABLE)


def clean(data: bytes, kind: str) -> bytes:
    if kind in ("jpeg", "png"):
        from intake.cleaning.images import clean_image

        return clean_image(data, kind)
    if kind == "pdf":
        from intake.cleaning.pdf import clean_pdf

        return clean_pdf(data)
    from intake.cleaning.office import clean_office

    return clean_office(data, kind)


def main() -> int:
    try:
        cpu_seconds = int(sys.argv[2]) if len(sys.argv) >= 3 else MAX_CPU_SECONDS
        parent = int(sys.argv[3]) if len(sys.argv) == 4 else 0
    except ValueError:
        cpu_seconds, parent = 1, 0
    limit_resources(cpu_seconds, parent)
    kind = sys.argv[1] if len(sys.argv) in (2, 3, 4) else ""
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    from intake.cleaning.images import Refused

    try:
        if len(data) > MAX_INPUT_BYTES:
            raise Refused(EXIT_TOO_LARGE)
        if detect(data) != kind:  # the parent decided; check again rather than trust argv
            raise Refused(EXIT_UNREADABLE)
        out = clean(data, kind)
        if len(out) > output_cap(len(data)):
            raise Refused(EXIT_CLEANED_TOO_LARGE)
    except Refused as refusal:
        return refusal.code
    except (MemoryError, zipfile.LargeZipFile):
        return EXIT_TOO_LARGE
    except Exception:  # noqa: BLE001 -- whatever a parser raises on a hostile file, we refuse it
        return EXIT_UNREADABLE
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
