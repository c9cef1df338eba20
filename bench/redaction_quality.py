"""How much of what is sensitive the redaction proposals hide, and how much else they take.

Runs `disclosure.redaction.propose` over the labelled narratives
(tests/fixtures/narratives/narratives.jsonl, README.md there) and prints, per language and
overall:

    recall        share of the gold sensitive letters and digits inside a proposed span
                  (target 0.99)
    over          share of the other letters and digits inside a proposed span
                  (over-redaction)
    missed spans  gold spans not wholly covered, by kind

the same for a second set made by the fixture's generator with another seed, which the
engine was not tuned on, and the same for a plain baseline measured in the same run:
exact (case-insensitive) matching of the case's entities as given, whole and name by name
part. Then the
over-redaction when the case also knows the names of five other cases (false alarms on
ordinary words grow with the names known), the share of ordinary prose redacted (the
interface's translation catalogs in the six languages: nothing in them is sensitive), and
the time
`propose` takes on a typical narrative and on hostile inputs (200 KB of text, 10,000
digits, deep bidi controls), against the baseline on the same inputs.

Run: .venv/bin/python bench/redaction_quality.py [--misses 20]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from disclosure.redaction import Entities, Span, propose  # noqa: E402
from names import chinese  # noqa: E402

NARRATIVES = ROOT / "tests" / "fixtures" / "narratives" / "narratives.jsonl"
LANGUAGES = ("en", "ug", "ru", "kk", "tr", "zh")
# (language, catalog, field): the English texts are the msgids of any catalog.
PROSE = (
    ("en", "ru", "msgid"),
    ("ug", "ug", "msgstr"),
    ("ru", "ru", "msgstr"),
    ("kk", "kk", "msgstr"),
    ("tr", "tr", "msgstr"),
    ("zh", "zh_Hans", "msgstr"),
)


HELD_OUT_SEED = 2027


def held_out_rows() -> list[dict]:
    """Narratives from the fixture's generator with another seed, made in memory."""
    spec = importlib.util.spec_from_file_location(
        "narrative_generator", NARRATIVES.parent / "generate.py"
    )
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    rng = random.Random(HELD_OUT_SEED)
    persons = generator.load_persons()
    rows: list[dict] = []
    for language in LANGUAGES:
        for _ in range(generator.PER_LANGUAGE):
            rows.append(generator.narrative(rng, persons, language, len(rows)))
    return rows


def catalog_texts(path: Path, field: str) -> list[str]:
    """The msgid or msgstr texts of a .po file, continuation lines joined."""
    out: list[list[str]] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(field + " "):
            current = [json.loads(line[len(field) + 1 :])]
            out.append(current)
        elif line.startswith('"') and current is not None:
            current.append(json.loads(line))
        else:
            current = None
    return [t for t in ("".join(parts) for parts in out) if t]


def entities_of(row: dict) -> Entities:
    e = row["entities"]
    return Entities(
        names=tuple((n["name"], n["role"]) for n in e["names"]),
        contacts=tuple(e["contacts"]),
        id_numbers=tuple(e["id_numbers"]),
        places=tuple(e["places"]),
    )


def baseline(text: str, entities: Entities) -> list[Span]:
    """Exact matching of the entities as given: each whole string and each name part."""
    needles: set[str] = set()
    for entry in entities.names:
        name = entry if isinstance(entry, str) else entry[0]
        needles.add(name)
        needles.update(w for w in re.split(r"[\s·•]+", name) if len(w) >= 2)
    needles.update(entities.contacts)
    needles.update(entities.id_numbers)
    needles.update(entities.places)
    spans = []
    for needle in needles:
        if not needle:
            continue
        for m in re.finditer(re.escape(needle), text, re.IGNORECASE):
            spans.append(Span(m.start(), m.end(), "name"))
    return spans


def covered(size: int, spans: list[Span]) -> list[bool]:
    marks = [False] * size
    for span in spans:
        for i in range(max(0, span.start), min(size, span.end)):
            marks[i] = True
    return marks


class Tally:
    def __init__(self) -> None:
        self.sensitive = self.hit = self.other = self.over = 0
        self.missed: Counter[str] = Counter()
        self.spans: Counter[str] = Counter()

    def add(self, row: dict, spans: list[Span]) -> list[dict]:
        text = row["text"]
        marks = covered(len(text), spans)
        gold = [False] * len(text)
        misses = []
        for g in row["spans"]:
            self.spans[g["kind"]] += 1
            for i in range(g["start"], g["end"]):
                gold[i] = True
            # A span is caught when its letters and digits are (a space or dot between two
            # names' labels hides nothing).
            inside = range(g["start"], g["end"])
            if not all(marks[i] or not text[i].isalnum() for i in inside):
                self.missed[g["kind"]] += 1
                misses.append(g)
        for i, is_gold in enumerate(gold):
            if not text[i].isalnum():
                continue  # spaces and punctuation carry nothing either way
            if is_gold:
                self.sensitive += 1
                self.hit += marks[i]
            else:
                self.other += 1
                self.over += marks[i]
        return misses

    def line(self, name: str) -> str:
        recall = self.hit / self.sensitive if self.sensitive else 1.0
        over = self.over / self.other if self.other else 0.0
        missed = ", ".join(f"{k} {n}/{self.spans[k]}" for k, n in sorted(self.missed.items()))
        return f"{name:8} recall {recall:.4f}  over {over:.4f}  missed spans: {missed or 'none'}"


def run(
    rows: list[dict], engine: Callable[[str, Entities], list[Span]]
) -> tuple[dict[str, Tally], list[tuple[dict, dict, list[Span]]]]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    misses = []
    for row in rows:
        spans = engine(row["text"], entities_of(row))
        for g in tallies[row["language"]].add(row, spans):
            misses.append((row, g, spans))
        tallies["overall"].add(row, spans)
    return tallies, misses


def over_examples(rows: list[dict], limit: int) -> list[str]:
    out = []
    for row in rows:
        text = row["text"]
        gold = covered(len(text), [Span(g["start"], g["end"], g["kind"]) for g in row["spans"]])
        for span in propose(text, entities_of(row)):
            if not all(gold[span.start : span.end]):
                out.append(f"  {row['id']} {span.kind}: {text[span.start : span.end]!r}")
    return out[:limit]


def timed(engine: Callable[[str, Entities], list[Span]], text: str, entities: Entities) -> float:
    start = time.perf_counter()
    engine(text, entities)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", type=int, default=20, help="misses and over-redactions to show")
    args = parser.parse_args()
    rows = [json.loads(line) for line in NARRATIVES.read_text(encoding="utf-8").splitlines()]
    print(f"{len(rows)} narratives, {sum(len(r['spans']) for r in rows)} gold spans")
    print("(fictional test data; the misses below show fixture text only)")
    for title, engine in (("propose", propose), ("baseline (exact entities)", baseline)):
        tallies, misses = run(rows, engine)
        print(f"\n{title}")
        for language in (*LANGUAGES, "overall"):
            print("  " + tallies[language].line(language))
        if engine is propose and args.misses:
            print(f"  first misses (of {len(misses)}):")
            for row, g, _ in misses[: args.misses]:
                print(f"    {row['id']} {g['kind']}: {row['text'][g['start'] : g['end']]!r}")
            print("  first over-redactions:")
            print("\n".join("  " + line for line in over_examples(rows, args.misses)))

    # The engine was tuned while reading the misses above; a second set, made by the same
    # generator with another seed whose misses were never read, shows how much of that is
    # fitting. (Seed 7 served so once, and was read: two rules came of it, voicing pairs
    # and 哈 as Qa. The seed was changed after.)
    held_out = held_out_rows()
    tallies, _ = run(held_out, propose)
    print(f"\nheld-out set (seed {HELD_OUT_SEED}, {len(held_out)} narratives, not tuned on)")
    for language in (*LANGUAGES, "overall"):
        print("  " + tallies[language].line(language))

    # False alarms on ordinary words: each row again, its case knowing also the names of
    # the next five rows' cases (about 24 names, each matched in every script).
    crowded: dict[str, Tally] = defaultdict(Tally)
    for k, row in enumerate(rows):
        extra = [n for other in rows[k + 1 : k + 6] for n in other["entities"]["names"]]
        wide = {**row, "entities": {**row["entities"], "names": row["entities"]["names"] + extra}}
        spans = propose(row["text"], entities_of(wide))
        crowded[row["language"]].add(row, spans)
        crowded["overall"].add(row, spans)
    print("\nover-redaction with five other cases' names known too (about 24 names)")
    for language in (*LANGUAGES, "overall"):
        tally = crowded[language]
        print(f"  {language:8} over {tally.over / max(tally.other, 1):.4f}")

    # Ordinary prose with nothing sensitive in it: the interface's own texts in each
    # language (msgid for English, msgstr for the others), the first six cases' names known.
    print("\nordinary prose (the translation catalogs), 24 names known: share redacted")
    known = tuple((n["name"], n["role"]) for row in rows[:6] for n in row["entities"]["names"])
    for language, catalog, field in PROSE:
        text = "\n".join(
            catalog_texts(ROOT / "locale" / catalog / "LC_MESSAGES" / "django.po", field)
        )
        spans = propose(text, Entities(names=known))
        hidden = sum(ch.isalnum() for s in spans for ch in text[s.start : s.end])
        letters = sum(ch.isalnum() for ch in text)
        words = ", ".join(sorted({f"{s.kind}:{text[s.start : s.end]}" for s in spans})[:6])
        print(f"  {language:8} {hidden / letters:.4f} of {letters:,} letters  {words}")

    sample = rows[0]
    entities = entities_of(sample)
    words = sample["text"] * (200_000 // len(sample["text"]) + 1)
    han = sorted({ch for row in chinese.rows() for ch in row.characters})
    hostile = {
        "a narrative": sample["text"],
        "200 KB of narrative": words[:200_000],
        "10,000 digits": "7" * 10_000,
        "10,000 digits in groups": " ".join(["1234"] * 2_500),
        "deep bidi controls": ("\u202e\u2067" * 5_000 + "Memet" + "\u202c\u2069" * 5_000) * 4,
        "200 KB of distinct words": " ".join(f"Word{i:06d}x" for i in range(18_000)),
        "100,000 name characters": "".join(random.Random(1).choice(han) for _ in range(100_000)),
    }
    print("\ntime (s)              propose   baseline   ratio")
    for name, text in hostile.items():
        t_propose = timed(propose, text, entities)
        t_base = timed(baseline, text, entities)
        print(
            f"  {name:24} {t_propose:8.3f}   {t_base:8.4f}   {t_propose / max(t_base, 1e-6):7.0f}x"
        )


if __name__ == "__main__":
    main()
