"""The units set MemoryDenyWriteExecute=yes. Whatever Amanat runs must then work without
memory that is both writable and executable: upload cleaning (in its own children) and PDF
exports are run here under the kernel's own form of that rule (PR_SET_MDWE, Linux 6.3+),
which the children inherit."""

from __future__ import annotations

import os
import subprocess
import sys

from .host_support import ROOT

PROBE = r"""
import ctypes, io, mmap, datetime
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
    raise SystemExit("PR_SET_MDWE refused: this kernel is older than 6.3")
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    raise SystemExit("writable and executable memory was still given")
except PermissionError:
    pass
import django
django.setup()
from PIL import Image
from intake import sanitise
from disclosure import render
for kind in ("JPEG", "PNG", "PDF"):
    raw = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(raw, kind)
    print(sanitise.sanitise(raw.getvalue())[0])
doc = render.Document("EXP-7K3Q-9M2D", "Report", datetime.date(2026, 1, 1), "A recipient",
                      (render.Section("Summary", "Text in Уйғур, ئۇيغۇرچە and 中文."),))
print("export", render.pdf(doc)[:5].decode())
"""


def test_it_cleans_uploads_and_draws_exports_without_writable_executable_memory(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMANAT_")}
    env.update(
        AMANAT_ENV="test",
        AMANAT_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["jpeg", "png", "pdf", "export", "%PDF-"]
