"""Compile the gettext catalogs (locale/*/LC_MESSAGES/django.po) to .mo files.

Pure Python (Babel), so `make run` and `make test` need no GNU gettext.
Run: python -m config.compile_catalogs [--all]   (--all: every catalog, however new its .mo
looks; install.sh uses it, as a copy that kept old times can make a stale .mo look new)
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from config.files import write_whole

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR, *, every: bool = False) -> list[Path]:
    """Compile each catalog whose .mo is missing or older than its .po (`every`: all)."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not every and is_current(mo_path):
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        # Written whole: an interruption leaves the old catalog, never half of one that
        # every later run would take as compiled; 0644 whatever root's umask.
        write_whole(mo_path, out.getvalue())
        written.append(mo_path)
    return written


def is_current(mo_path: Path) -> bool:
    """Whether a compiled catalog exists and is not older than its .po."""
    po_path = mo_path.with_suffix(".po")
    return mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    )


if __name__ == "__main__":
    for path in compile_all(every="--all" in sys.argv[1:]):
        sys.stdout.write(f"compiled {path.relative_to(LOCALE_DIR.parent)}\n")
