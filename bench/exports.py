"""What an export costs: PDF, JSON and the leak check of a 20-page WGEID-like submission.

The document is English with Uyghur (Arabic script), Chinese and Cyrillic runs and 300
redaction labels; the leak check runs a regex finder over about 40 terms, as costly as the
case's finder. The baseline, in the same run, renders the same amount of text in Latin only
(one font, no shaping of Arabic script, no CJK font to subset).
Target: PDF + JSON + leak check within 3 s.
Run: .venv/bin/python bench/exports.py
"""

from __future__ import annotations

import datetime
import io
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pikepdf

from disclosure import consent, leakcheck, policy, render
from disclosure.redaction import Entities
from disclosure.render import Document, Section

LABELS = ["[relative's name]", "[phone number]", "[ID number]", "[address]", "[witness]"]
ENGLISH = [
    "The family last saw the relative at home in the evening.",
    "Officers in plain clothes came to the house and took the relative away.",
    "No document was shown and no reason was given to the family.",
    "The family asked the local police station several times and got no answer.",
    "A neighbour later said the relative had been seen at a facility near the city.",
    "Since then the family has had no news, no letter and no call.",
]
UYGHUR = [
    "ئۇ 2017-يىلى ئۆيىدىن ئېلىپ كېتىلگەن",
    "ئائىلىسى ھېچقانداق خەۋەر ئالالمىدى",
    "ساقچىخانىغا بىر قانچە قېتىم بارغان",
]
CHINESE = ["于2017年在伊宁被带走", "家属多次询问派出所", "没有任何通知"]
CYRILLIC = ["задержан в 2017 году", "семья не получила ответа", "Өскемен, Қазақстан"]
LATIN = ["taken in 2017 from home", "the family got no answer", "Oskemen, Kazakhstan"]

# A finder as costly as the case's: ~40 name and place terms in four scripts, and digits.
TERMS = [
    "Memet", "Tursun", "Abdurehim", "Gulnar", "Rizwangul", "Ablimit", "Kurban", "Ghulja",
    "Kashgar", "Hotan", "Aksu", "Turpan", "Urumqi", "Yining", "Almaty", "Nurlan",
    "مەمەت", "تۇرسۇن", "ئابدۇرېھىم", "گۈلنار", "ئابلىمىت", "قۇربان", "غۇلجا", "قەشقەر",
    "麦麦提", "吐尔逊", "阿卜都", "古丽", "努尔", "伊犁", "喀什", "和田",
    "Мемет", "Турсун", "Гульнар", "Курбан", "Алматы", "Нурлан", "Кульджа", "Аксу",
]  # fmt: skip
T = TypeVar("T")
PATTERN = re.compile("|".join(re.escape(t) for t in TERMS) + r"|(?<!\d)\d{15,18}(?!\d)")


def find(text: str) -> Iterator[tuple[int, int, str]]:
    for match in PATTERN.finditer(text):
        yield match.start(), match.end(), "name"


# The case's own finder, as a release runs it (disclosure.policy.leak_finder): a case of
# ten people in four scripts, a contact, an ID number and a village, at the WGEID's level.
CASE = Entities(
    names=(
        ("Memet Tursun", "missing"),
        ("مەمەت تۇرسۇن", "missing"),
        ("Tursun Ablimit", "relative"),
        ("Rizwangul Kurban", "relative"),
        ("Gulnar Tursun", "reporter"),
        ("Abdukerim Rozi", "witness"),
        ("Nurlan Serikuly", "witness"),
        ("麦麦提·吐尔逊", "missing"),
        ("Гульнар Турсун", "reporter"),
        ("Ablet Kurban", "relative"),
    ),
    contacts=("+7 701 555 0199", "gulnar@example.org"),
    id_numbers=("653101198401012345",),
    places=("Bostan",),
)


def paragraph(rng: random.Random, runs: list[list[str]], labels: list[str]) -> str:
    words = [rng.choice(ENGLISH)]
    for _ in range(4):
        words.append(rng.choice(ENGLISH))
        words.append(rng.choice(rng.choice(runs)))
    for _ in range(2):
        if labels:
            words.insert(rng.randrange(len(words)), labels.pop())
    return " ".join(words)


def document(latin_only: bool) -> Document:
    rng = random.Random(7)
    runs = [LATIN] if latin_only else [UYGHUR, CHINESE, CYRILLIC]
    labels = [LABELS[i % len(LABELS)] for i in range(300)]
    sections = []
    for number in range(1, 11):
        text = "\n".join(paragraph(rng, runs, labels) for _ in range(15))
        if not latin_only and number % 3 == 0:
            text += "\n" + "ئۇنىڭ ئائىلىسى ھېچقانداق خەۋەر ئالالمىدى"  # a right-to-left paragraph
        sections.append(Section(f"Part {number}", text))
    assert not labels  # all 300 labels placed
    return Document(
        export_id="EXP-7K3Q-9M2D",
        title="Case submission to the UN Working Group on Enforced or Involuntary Disappearances",
        day=datetime.date(2026, 11, 30),
        recipient="WGEID",
        sections=tuple(sections),
    )


def best_of(step: Callable[..., T], *args: object, runs: int = 3) -> tuple[float, T]:
    """Best wall time of a few runs (the machine is shared), and the step's result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = step(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def pages(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def main() -> None:
    render.pdf(document(True))  # warm up: imports, font loading code paths
    doc, plain = document(False), document(True)
    pdf_time, pdf_data = best_of(render.pdf, doc)
    json_time, json_data = best_of(render.json_bytes, doc)
    check_time, hits = best_of(leakcheck.check, pdf_data, json_data, find, ["Ayla Demir"])
    base_time, base_data = best_of(render.pdf, plain)
    planted = replace(doc, sections=(*doc.sections, Section("Note", "Seen with Memet Tursun.")))
    planted_hits = leakcheck.check(
        render.pdf(planted), render.json_bytes(planted), find, ["Ayla Demir"]
    )
    case_find = policy.leak_finder(policy.Case(CASE), consent.MISSING_NAMED, {})
    case_time, case_hits = best_of(
        leakcheck.check, pdf_data, json_data, case_find, ["Ayla Demir"], runs=1
    )
    total = pdf_time + json_time + check_time
    print(f"pages: {pages(pdf_data)}, labels: 300, finder terms: {len(TERMS)} (best of 3 each)")
    print(f"PDF   {pdf_time:6.2f} s  {len(pdf_data) / 1024:7.0f} KiB")
    print(f"JSON  {json_time:6.3f} s  {len(json_data) / 1024:7.0f} KiB")
    print(f"check {check_time:6.2f} s  hits: {len(hits)} (clean); with 1 name planted: "
          f"{len(planted_hits)} (PDF page and JSON, 2 terms each)")  # fmt: skip
    print(f"total {total:6.2f} s  (target <= 3 s: {'met' if total <= 3 else 'missed'})")
    real = pdf_time + json_time + case_time
    print(f"check with the case's own finder (policy.leak_finder: names in every script, "
          f"patterns) {case_time:6.2f} s, hits: {len(case_hits)}; total with it {real:6.2f} s "
          f"(target <= 3 s: {'met' if real <= 3 else 'missed'})")  # fmt: skip
    print(
        f"baseline, same text in Latin only ({pages(base_data)} pages): PDF {base_time:.2f} s, "
        f"{len(base_data) / 1024:.0f} KiB; multi-script / Latin = {pdf_time / base_time:.2f}"
    )


if __name__ == "__main__":
    main()
