"""Compile the gettext catalogs (locale/*/LC_MESSAGES/django.po) to .mo files.

Pure Python (Babel), so `make run` and `make test` need no GNU gettext.
Run: python -m config.compile_catalogs [--all]   (--all: every catalog, however new its .mo
looks; install.sh uses it, as a copy that kept old times can make a stale .mo look new)
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR, *, every: bool = False) -> list[Path]:
    """Compile each catalog whose .mo is missing or older than its .po (`every`: all)."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not every and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        _replace(mo_path, out.getvalue())
        written.append(mo_path)
    return written


def _replace(path: Path, data: bytes) -> None:
    """Written whole beside it, then renamed: a full disk or an interruption leaves the
    old catalog, never half of one that every later run would take as compiled. 0644:
    the service reads what root compiled, whatever root's umask."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    for path in compile_all(every="--all" in sys.argv[1:]):
        sys.stdout.write(f"compiled {path.relative_to(LOCALE_DIR.parent)}\n")
