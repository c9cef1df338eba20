"""A Proposer is propose() for one case over many texts: the same spans, text after text,
and each text with its own work bound."""

from __future__ import annotations

from disclosure import redaction
from disclosure.name_spans import NameFinder
from names import chinese

CASE = redaction.Entities(
    names=(("Memet Tursun", "missing"), ("古丽·吐尔逊", "reporter")),
    contacts=("+86 138 0013 8000",),
)
TEXTS = [
    "Мамат was taken; his sister 古丽 called from +86 138 0013 8000.",
    "مەمەت تۇرسۇن ئۆيىدىن ئېلىپ كېتىلگەن",
    "",
    "Nothing here names anyone.",
]


def test_it_gives_what_propose_gives_for_every_text() -> None:
    proposer = redaction.Proposer(CASE)
    for text in TEXTS * 2:
        assert proposer(text) == redaction.propose(text, CASE)


def test_a_long_text_does_not_spend_the_next_texts_work_bound() -> None:
    finder = NameFinder(CASE.names)
    finder.han_tries, finder.judged = 10**9, {("x", "Latn", False): {}}
    fresh = finder.fresh()
    assert (fresh.han_tries, fresh.judged) == (0, {})
    assert fresh.targets is finder.targets  # the costly part is shared
    # A flood of the name table's characters, then a short text: still found.
    table = sorted({ch for row in chinese.rows() for ch in row.characters})
    flood = "".join(a + b for a in table[:200] for b in table[:200])
    proposer = redaction.Proposer(CASE)
    proposer(flood)
    assert proposer(TEXTS[0]) == redaction.propose(TEXTS[0], CASE)
    assert any(s.label == redaction.LABELS["reporter"] for s in proposer(TEXTS[0]))


def test_its_repr_shows_no_name() -> None:
    assert "Memet" not in repr(redaction.Proposer(CASE))
