"""Worst-case cost of the name functions on hostile input, against an ordinary name.

Anyone may fill the intake form's name fields (three names, father, county), and every
later triage parses the stored names again: the work per name must stay small whatever
is typed. For each adversarial input (200 and 2,000 characters: random Chinese
characters, 王 repeated, xian/a/abdurehim repeated, bidi marks, mixed scripts, Arabic,
Cyrillic; and the hardest inputs of a real name's size, just under the caps where a
one-piece name is still tried for a cut) this prints the worst time of names.parse,
names.variants and matching.identity (the input in all five fields), in milliseconds
and as a ratio to parsing "Memet Tursun" in the same run.

Nothing keyed by a name is cached across calls (a name must not outlive its request)
and random inputs are drawn anew, so each figure is the cost of a fresh input, as a
hostile reporter would send.

Target: every 200-character case under 50 ms.

Run: .venv/bin/python bench/names_adversarial.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import names  # noqa: E402
from names import chinese, core, matching  # noqa: E402

TARGET_MS = 50.0
ORDINARY = "Memet Tursun"

_HAN = [chr(c) for c in range(0x4E00, 0x9FA6)]
_TABLE_HAN = sorted({ch for row in chinese.rows() for ch in row.characters})
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ARABIC = "ئابپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىي"
_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәөүңғқһ"
_SYLLABLES = sorted({s for row in chinese.rows() for s in row.pinyin})
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"


def _repeat(unit: str) -> Callable[[random.Random, int], str]:
    return lambda rnd, n: (unit * (n // len(unit) + 1))[:n]


def _draw(alphabet: str | list[str]) -> Callable[[random.Random, int], str]:
    return lambda rnd, n: "".join(rnd.choice(alphabet) for _ in range(n))


def _pinyin(rnd: random.Random, n: int) -> str:
    out = ""
    while len(out) < n:
        out += rnd.choice(_SYLLABLES)
    return out[:n]


def _bidi(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(_BIDI) + "abc" for _ in range(n // 4 + 1))[:n]


def _mixed(rnd: random.Random, n: int) -> str:
    alphabets = [_LATIN, _ARABIC, _CYRILLIC, _TABLE_HAN, _BIDI]
    return "".join(rnd.choice(rnd.choice(alphabets)) for _ in range(n))


# name -> (input of n characters, the sizes it is run at)
LONG = (200, 2000)
CASES: dict[str, tuple[Callable[[random.Random, int], str], tuple[int, ...]]] = {
    "random Chinese": (_draw(_HAN), LONG),
    "table's Chinese": (_draw(_TABLE_HAN), LONG),
    "王 repeated": (_repeat("王"), LONG),
    "xian repeated": (_repeat("xian"), LONG),
    "a repeated": (_repeat("a"), LONG),
    "abdurehim repeated": (_repeat("abdurehim"), LONG),
    "random pinyin": (_pinyin, LONG),
    "random Latin": (_draw(_LATIN), LONG),
    "bidi marks + abc": (_bidi, LONG),
    "mixed scripts": (_mixed, LONG),
    "Arabic": (_draw(_ARABIC), LONG),
    "Cyrillic": (_draw(_CYRILLIC), LONG),
    # A real name's size, just under the caps: the most work a name is still worth.
    "table's Chinese, cut cap": (_draw(_TABLE_HAN), (core.MAX_JOINED_HANI,)),
    "random pinyin, cut cap": (_pinyin, (core.MAX_JOINED,)),
    "random Latin, cut cap": (_draw(_LATIN), (core.MAX_JOINED,)),
    "Latin with spaces": (lambda rnd, n: " ".join(_pinyin(rnd, 9) for _ in range(n // 10)), LONG),
}


def _time(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _parse(
    fn: Callable[[str], object],
    rnd: random.Random,
    make: Callable[[random.Random, int], str],
    n: int,
) -> object:
    return fn(make(rnd, n))


def _identity(rnd: random.Random, make: Callable[[random.Random, int], str], n: int) -> object:
    # Every field anew: a cache filled by one field must not help the next.
    return matching.identity(
        names=[make(rnd, n) for _ in range(3)], father=make(rnd, n), county=make(rnd, n)
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3, help="draws per case (worst is shown)")
    args = ap.parse_args()
    rnd = random.Random(20261130)

    # Load the tables and warm the interpreter before anything is timed.
    names.variants("买买提吐尔逊 Memet Tursun Мамат ئابدۇرېھىم")
    baseline = statistics.median(_time(lambda: names.parse(ORDINARY)) for _ in range(21))
    print(f"ordinary name: names.parse({ORDINARY!r}) {baseline:.2f} ms (median of 21, cold)")
    print(f"target: every 200-character case under {TARGET_MS:.0f} ms\n")
    header = f"{'case':<28}{'chars':>6}"
    for fn in ("parse", "variants", "identity x5"):
        header += f"{fn + ' ms':>16}{'ratio':>8}"
    print(header)

    over = []
    worst_200 = 0.0
    for label, (make, sizes) in CASES.items():
        for n in sizes:
            calls: list[Callable[[], object]] = [
                functools.partial(_parse, names.parse, rnd, make, n),
                functools.partial(_parse, names.variants, rnd, make, n),
                functools.partial(_identity, rnd, make, n),
            ]
            row = f"{label:<28}{n:>6}"
            for k, call in enumerate(calls):
                # The input is drawn inside the timed call; drawing costs microseconds.
                worst = max(_time(call) for _ in range(args.repeats))
                row += f"{worst:>16.1f}{worst / baseline:>8.0f}"
                if n <= 200 and k < 2:
                    worst_200 = max(worst_200, worst)
                    if worst > TARGET_MS:
                        over.append(f"{label} ({n})")
            print(row, flush=True)
    print(f"\nworst parse/variants at <= 200 characters: {worst_200:.1f} ms")
    if over:
        print("over target:", ", ".join(dict.fromkeys(over)))
    else:
        print(f"all under {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
