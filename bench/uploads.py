"""What cleaning an upload costs, and what a hostile request can cost at most.

For each file of the hostile corpus (intake/tests/hostile_files.py) and a few ordinary ones:
the wall time of one cleaning (a fresh sandboxed child each time, as in production), best of 3.
Then a request of 5 PDFs that each take seconds to draw, cleaned with the default budget: the
whole request must end near the budget, not at 5 x 15 s.
Run: .venv/bin/python bench/uploads.py
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pikepdf
from PIL import Image

from intake import sanitise
from intake.tests import hostile_files as corpus

BUDGET = 20.0  # the default CLEANING_SECONDS_PER_REQUEST


def photo(side: int) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((side, side), 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def text_pdf(pages: int) -> bytes:
    pdf = pikepdf.new()
    for n in range(pages):
        pdf.add_blank_page()
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        pdf.pages[n].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        lines = b"".join(b"(Line of a statement, page %d) Tj T* " % n for _ in range(50))
        pdf.pages[n].Contents = pdf.make_stream(b"BT /F1 11 Tf 14 TL 72 740 Td " + lines + b"ET")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def slow_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    ops = b"1 0 0 rg 10 10 500 700 re f 0 0 1 rg 20 20 480 680 re f\n" * 300_000
    pdf.pages[0].Contents = pdf.make_stream(ops)
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def best_of(data: bytes, runs: int = 3) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(runs):
        started = time.monotonic()
        try:
            kind, clean = sanitise.sanitise(data)
            outcome = f"{kind}, {len(data) // 1024} KB -> {len(clean) // 1024} KB"
        except sanitise.SanitiseError as refused:
            outcome = f"refused: {refused.reason}"
        times.append(time.monotonic() - started)
    return min(times), outcome


def main() -> None:
    files = {name: make() for name, make in corpus.CORPUS.items()}
    files["photo 3000x3000"] = photo(3000)
    files["text pdf, 10 pages"] = text_pdf(10)
    files["text pdf, 50 pages"] = text_pdf(50)
    print(f"{'file':24} {'seconds':>8}  outcome")
    for name, data in files.items():
        seconds, outcome = best_of(data)
        print(f"{name:24} {seconds:8.2f}  {outcome}")

    slow = slow_pdf()
    budget = sanitise.Budget(BUDGET)
    started = time.monotonic()
    outcomes = []
    for _ in range(5):
        try:
            sanitise.sanitise(slow, budget)
            outcomes.append("cleaned")
        except sanitise.SanitiseError as refused:
            outcomes.append(refused.reason)
    took = time.monotonic() - started
    print(f"\nhostile request, 5 slow PDFs, budget {BUDGET:.0f} s: {took:.1f} s wall; {outcomes}")


if __name__ == "__main__":
    main()
