"""The matcher's quality on the labelled set (tests/fixtures/names/): the targets, and
better than the plain baseline. Not timed: the bench (bench/names_quality.py) prints the
same figures per script pair, the misses and the times.

recall@5: share of spellings with at least one other spelling of the same person among
the 5 best candidates. precision@1: share whose best candidate is the same person.
"""

from __future__ import annotations

import unittest

from bench import names_quality as quality

RECALL_AT_5 = 0.99
PRECISION_AT_1 = 0.95


class QualityTest(unittest.TestCase):
    rows: list[quality.Row]
    matcher: quality.Quality
    baseline: quality.Quality

    @classmethod
    def setUpClass(cls) -> None:
        cls.rows = quality.load()
        cls.matcher = quality.evaluate(cls.rows, quality.matcher_ranking(cls.rows))
        cls.baseline = quality.evaluate(cls.rows, quality.baseline_ranking(cls.rows))

    def test_it_measures_the_whole_set(self) -> None:
        persons = {row["person"] for row in self.rows}
        self.assertGreaterEqual(len(persons), 300)
        self.assertGreaterEqual(len(self.rows), 1200)
        self.assertEqual(self.matcher.queries, len(self.rows))

    def test_it_finds_the_same_person_among_the_five_best(self) -> None:
        self.assertGreaterEqual(
            self.matcher.recall5,
            RECALL_AT_5,
            f"recall@5 {self.matcher.recall5:.3f}; {len(self.matcher.misses)} misses "
            "(bench/names_quality.py lists them)",
        )

    def test_it_puts_the_same_person_first(self) -> None:
        self.assertGreaterEqual(self.matcher.precision1, PRECISION_AT_1)

    def test_it_beats_the_baseline(self) -> None:
        self.assertGreater(self.matcher.recall5, self.baseline.recall5)
        self.assertGreater(self.matcher.precision1, self.baseline.precision1)
