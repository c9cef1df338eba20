"""Remove metadata from uploads before they are sealed (docs/THREAT_MODEL.md, 3.4 and 3.6).

A photo's GPS position or a PDF's author name can unmask a reporter, so every upload is
rewritten from its content only. Parsing hostile files is done by `intake.sanitise_worker` in a
child process with hard resource limits: a decompression bomb, a parser crash or an endless loop
kills the child, never the web worker. Plaintext reaches the child through a pipe only.

Plain Python on purpose: no Django, so it can run anywhere (views, tasks, tests).
"""

import io
import math
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

# kind -> (content type, file extension, human label)
KINDS = {
    "jpeg": ("image/jpeg", "jpg", "JPEG photo"),
    "png": ("image/png", "png", "PNG image"),
    "pdf": ("application/pdf", "pdf", "PDF document"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "Word document",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "Excel spreadsheet",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text"),
}

MAX_INPUT_BYTES = 64 * 1024 * 1024  # the view's upload limit should be lower; this is a backstop
MAX_OUTPUT_BYTES = 128 * 1024 * 1024  # a re-encoded PNG may grow; anything bigger is refused
# Storage: a cleaned file may weigh no more than the largest upload (a photo re-encoded, up to
# twice its size). A small PDF of noise rendered page by page would otherwise become a hundred
# megabytes of sealed storage. No multiple of the input: a 5 KB page of text renders to
# ~450 KB, so any small multiple would refuse genuine letters.
MAX_CLEAN_BYTES = 10 * 1024 * 1024  # the largest upload accepted
# Plenty for evidence. Phones' optional 50-200 MP modes are refused: decoding one takes
# more memory than the child may use.
MAX_PIXELS = 40_000_000
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_DIRECTORY = 1024 * 1024  # bytes of ZIP central directory we agree to parse
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # total of all members, counted as actually read
MAX_CPU_SECONDS = 15  # for one file: the child's own CPU limit
WALL_SECONDS = 30  # for one file: catches a child that blocks rather than computes

# What the child says when it refuses, as its exit status.
EXIT_UNREADABLE = 10
EXIT_TOO_LARGE = 11
EXIT_ENCRYPTED = 12
EXIT_CLEANED_TOO_LARGE = 13

# Why a file was refused: a code for the caller to translate, and an English message.
NOT_ACCEPTED = "not_accepted"
UNREADABLE = "unreadable"
TOO_LARGE = "too_large"
TOO_LARGE_OPENED = "too_large_opened"
ENCRYPTED = "encrypted"
OVER_BUDGET = "over_budget"
CLEANED_TOO_LARGE = "cleaned_too_large"
MESSAGES = {
    NOT_ACCEPTED: "This type of file is not accepted. Please send a photo (JPEG or PNG), a PDF, "
    "or a Word, Excel or OpenDocument file.",
    UNREADABLE: "This file could not be read as a photo or document.",
    TOO_LARGE: "This file is too large.",
    TOO_LARGE_OPENED: "This file is too large once opened.",
    ENCRYPTED: "This file is protected by a password. Please send it without the password.",
    OVER_BUDGET: "These files together take too long to clean. Please send fewer or smaller files.",
    CLEANED_TOO_LARGE: "This file would be too large once cleaned. Please send fewer pages.",
}

_EXIT_REASONS = {
    EXIT_UNREADABLE: UNREADABLE,
    EXIT_TOO_LARGE: TOO_LARGE_OPENED,
    EXIT_ENCRYPTED: ENCRYPTED,
    EXIT_CLEANED_TOO_LARGE: CLEANED_TOO_LARGE,
    # killed by its CPU limit, or by the kernel when memory runs out
    -signal.SIGXCPU: TOO_LARGE_OPENED,
    -signal.SIGKILL: TOO_LARGE_OPENED,
}

_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
# The child gets no environment of ours: it must not see database URLs or other secrets.
_CHILD_ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}


def output_cap(input_bytes: int) -> int:
    """The most a cleaned file may weigh: 10 MB, or twice a large photo (re-encoding)."""
    return max(MAX_CLEAN_BYTES, 2 * input_bytes)


class SanitiseError(Exception):
    """A refused upload. `reason` is one of MESSAGES' keys; `message` is safe to show the
    reporter: it never quotes the file or its name."""

    def __init__(self, reason: str):
        super().__init__(MESSAGES[reason])
        self.reason = reason
        self.message = MESSAGES[reason]


class Budget:
    """Seconds of cleaning that one request may spend, over all its files.

    Charged by the wall-clock time of each child, which bounds its CPU time (the parsers are
    single-threaded), and each child gets what is left as its CPU limit. So a request full of
    hostile files costs at most `seconds`, however many files it holds.
    """

    def __init__(self, seconds: float):
        self.left = float(seconds)

    def charge(self, seconds: float) -> None:
        self.left -= seconds

    @property
    def spent(self) -> bool:
        return self.left < 0.5  # too little to start a child and do anything


def detect(data: bytes) -> str | None:
    """The kind of file by its content (never by the client's content type or name)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _detect_zip(data)
    return None


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open a ZIP only when its central directory is small enough to parse safely.

    zipfile builds one object per directory entry before we can count them, so a 60 MB file of
    empty entries would cost the web process gigabytes. Read the end record the way zipfile finds
    it and refuse a large or ZIP64 directory first (office files of our size never need ZIP64).
    """
    end = len(data) - 22
    if not (end >= 0 and data[end : end + 4] == b"PK\x05\x06" and data[-2:] == b"\0\0"):
        end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65536 - 22))
    if end < 0 or len(data) < end + 22:
        raise zipfile.BadZipFile
    if end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        raise zipfile.BadZipFile  # ZIP64 locator: zipfile would use another directory size
    entries, size = struct.unpack("<2xHL", data[end + 8 : end + 16])
    if entries > MAX_ZIP_MEMBERS or size > MAX_ZIP_DIRECTORY:
        raise zipfile.LargeZipFile
    return zipfile.ZipFile(io.BytesIO(data))


# What zipfile may raise on a hostile archive (LargeZipFile is our own refusal above).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ValueError,
    NotImplementedError,
    EOFError,
    OSError,
    RuntimeError,
    struct.error,
    KeyError,
)


def _detect_zip(data: bytes) -> str | None:
    try:
        with open_zip(data) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)  # capped: the member may be a bomb
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odt"
    except ZIP_ERRORS:
        return None
    return None


def sanitise(data: bytes, budget: Budget | None = None) -> tuple[str, bytes]:
    """Return (kind, bytes without metadata), or raise SanitiseError.

    With a budget, the child may use only what is left of it, and what it used is charged.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise SanitiseError(TOO_LARGE)
    kind = detect(data)
    if kind is None:
        raise SanitiseError(NOT_ACCEPTED)
    # For one file alone; a budget narrows both, the wall time to a fraction of a second.
    cpu_seconds: int = MAX_CPU_SECONDS
    wall_seconds: float = WALL_SECONDS
    if budget is not None:
        if budget.spent:
            raise SanitiseError(OVER_BUDGET)
        cpu_seconds = max(1, math.ceil(min(MAX_CPU_SECONDS, budget.left)))
        wall_seconds = min(WALL_SECONDS, budget.left)
    started = time.monotonic()
    # The limits are set by the child itself at start, not with preexec_fn: preexec_fn is unsafe
    # in a threaded web worker and stops Python from using vfork. stderr goes to /dev/null: a
    # traceback could quote the file. No shell; the argv is fixed but for `kind`, one of KINDS.
    try:
        done = subprocess.run(  # noqa: S603 -- our own interpreter and module, no shell
            [
                sys.executable,
                "-B",
                "-E",
                "-s",
                "-m",
                "intake.sanitise_worker",
                kind,
                str(cpu_seconds),
                str(os.getpid()),  # the child dies with us, and checks we are still here
            ],
            input=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=wall_seconds,
            cwd=_PROJECT_ROOT,
            env=_CHILD_ENV,
            check=False,
        )
    except subprocess.TimeoutExpired:
        done = None  # raised below, outside this block: the timeout error holds partial output
    if budget is not None:
        budget.charge(time.monotonic() - started)
    stopped = done is None or done.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    if stopped and (cpu_seconds < MAX_CPU_SECONDS or wall_seconds < WALL_SECONDS):
        raise SanitiseError(OVER_BUDGET)  # stopped by what was left of the request's budget
    if done is None:
        raise SanitiseError(TOO_LARGE_OPENED)
    if done.returncode != 0 or not done.stdout:
        raise SanitiseError(_EXIT_REASONS.get(done.returncode, UNREADABLE))
    if len(done.stdout) > output_cap(len(data)):
        raise SanitiseError(CLEANED_TOO_LARGE)
    if detect(done.stdout) != kind:  # e.g. a library printed to stdout: never store garbage
        raise SanitiseError(UNREADABLE)
    return kind, done.stdout
