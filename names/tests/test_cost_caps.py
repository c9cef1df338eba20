"""The work a name costs is capped whatever is typed: counted, never timed
(bench/names_adversarial.py prints the times)."""

import random

import pytest

import names
from names import core, lexicon

HAN = [chr(c) for c in range(0x4E00, 0x9FA6)]


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every piece a cut looks up against the name table, and every word tried for cuts."""
    seen: list[str] = []
    closeness, guess, split = lexicon.closeness, lexicon.pinyin_guess, core._split_joined

    def count_closeness(piece: str, floor: float = 0.0) -> float:
        seen.append(piece)
        return closeness(piece, floor)

    def count_guess(piece: str, floor: float = 0.0) -> tuple[float, str]:
        seen.append(piece)
        return guess(piece, floor)

    def count_split(token: str, part: core.Part, look: core._Lookups) -> list[core.Part]:
        seen.append("split:" + token)
        return split(token, part, look)

    monkeypatch.setattr(core, "closeness", count_closeness)
    monkeypatch.setattr(core, "pinyin_guess", count_guess)
    monkeypatch.setattr(core, "_split_joined", count_split)
    return seen


def test_it_tries_no_cut_on_a_word_longer_than_a_name(looked_up: list[str]) -> None:
    rnd = random.Random(1)
    for text in (
        "".join(rnd.choice(HAN) for _ in range(2000)),
        "王" * (core.MAX_JOINED_HANI + 1),
        "xian" * 500,
        "abdurehim" * 222,
        "a" * (core.MAX_JOINED + 1),
    ):
        parsed = names.parse(text)
        assert len(parsed.parts) <= core.MAX_NAME_PARTS
        assert all(len(p.folded) <= core.MAX_TOKEN * 6 for p in parsed.parts)
    assert looked_up == []


def test_it_looks_up_only_pieces_of_a_names_size(looked_up: list[str]) -> None:
    rnd = random.Random(2)
    word = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(core.MAX_JOINED))
    names.parse("maimaitituerxun")
    names.parse(word)
    pieces = [p for p in looked_up if not p.startswith("split:")]
    assert pieces
    assert max(len(p) for p in pieces) <= core.MAX_PIECE
    # Both words tried, each for a bounded number of cuts.
    assert sum(p.startswith("split:") for p in looked_up) == 2
    assert len(pieces) <= 2 * 6 * core.MAX_PIECE


def test_it_reads_a_long_word_into_a_bounded_part() -> None:
    parsed = names.parse("abdurehim" * 222)
    assert len(parsed.parts) == 1
    assert len(parsed.parts[0].folded) <= core.MAX_TOKEN
    assert len(names.parse("a b c d e f g h i j k l m n " * 20).parts) <= core.MAX_NAME_PARTS


def test_it_drops_bidi_controls_before_anything() -> None:
    plain = names.parse("Memet Tursun")
    marked = names.parse("\u202eMemet\u202c \u2067Tursun\u2069\u200f")
    assert [p.folded for p in marked.parts] == [p.folded for p in plain.parts]
    # Bidi marks fill none of the characters read.
    assert names.parse("\u200f\u202e" * 300 + "Memet Tursun").parts


def test_it_spares_look_ups_that_cannot_beat_the_floor_and_keeps_the_values_above_it() -> None:
    rnd = random.Random(3)
    pieces = ["memet", "tursun", "abdurehim", "maimaiti", "gulimire", "tursunmemet"]
    pieces += [
        "".join(rnd.choice("abdegilmnrstu") for _ in range(rnd.randint(3, 20))) for _ in range(40)
    ]
    for piece in pieces:
        exact = lexicon.closeness(piece)
        floored = lexicon.closeness(piece, 85.0)
        assert floored == exact if exact > 85.0 else floored <= 85.0
        near, reading = lexicon.pinyin_guess(piece)
        assert lexicon.pinyin_guess(piece, 85.0) == ((near, reading) if near > 85.0 else (0.0, ""))
    # Against a 5-letter piece, names too short or too long to reach 85 are not compared.
    assert len(lexicon._of_length(0, 5, 85.0)) < len(lexicon.known_names()[0]) / 2
