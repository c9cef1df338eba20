# ruff: noqa: RUF001 -- Uyghur, Russian, Kazakh, Chinese text and full-width forms
"""Redaction proposals: names across scripts, entities as given, labels, offsets, bounds."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.redaction import LABELS, Entities, Span, apply, propose

MEMET = Entities(names=(("Memet Tursun", "missing"),))


def found(text: str, entities: Entities) -> list[str]:
    return [text[s.start : s.end] for s in propose(text, entities)]


@pytest.mark.parametrize(
    "word",
    ["Мамат", "Memet", "مەمەت", "买买提", "麦麦提", "Mehmet", "Tursunov", "Турсунова", "Maimaiti"],
)
def test_it_finds_a_name_in_other_scripts_and_spellings(word: str) -> None:
    text = f"They took {word} away in the night."
    assert found(text, MEMET) == [word]


def test_it_finds_a_given_name_alone_and_with_a_case_ending() -> None:
    text = "مەمەتنىڭ ئايالى ۋە Маматтың інісі"
    assert found(text, MEMET) == ["مەمەتنىڭ", "Маматтың"]


def test_it_joins_a_whole_name_into_one_label() -> None:
    text = "My brother 买买提·吐尔逊 and Мамат Турсунов were taken."
    spans = propose(text, MEMET)
    assert [text[s.start : s.end] for s in spans] == ["买买提·吐尔逊", "Мамат Турсунов"]
    assert {s.label for s in spans} == {LABELS["missing"]}


def test_it_labels_each_role() -> None:
    entities = Entities(
        names=(("Memet Tursun", "missing"), ("Gülnar Ablimit", "relative"), "Adil Hoshur")
    )
    text = "Memet, his wife Gulnar and Adil."
    labels = [s.label for s in propose(text, entities)]
    assert labels == ["[missing person's name]", "[relative's name]", "[name]"]


def test_it_leaves_a_plain_sentence_alone() -> None:
    text = (
        "The police came to the house in the morning and took everyone to the station. "
        "Полиция пришла утром. Polis sabah geldi. ساقچىلار ئەتىگەن كەلدى. 警察早上来了。"
    )
    entities = Entities(names=(("Memet Tursun", "missing"), ("Ali Ahmet", "relative")))
    assert propose(text, entities) == []


def test_it_leaves_lower_case_words_that_only_look_like_a_name() -> None:
    # Bolat is a name; болатын ("was") is a word.
    assert propose("телефон нөмірі болатын.", Entities(names=("Bolat Serik",))) == []


def test_it_finds_entity_contacts_ids_and_places_as_given() -> None:
    entities = Entities(
        contacts=("+86 138 0013 8000", "memet.t@example.org", "tursun_85"),
        id_numbers=("E 1234 5678",),
        places=("Toqquzaq",),
    )
    text = (
        "Call 13800138000 or write memet.t@example.org, tursun_85 on the app; "
        "passport E12345678; from Toqquzaq."
    )
    assert [(text[s.start : s.end], s.kind) for s in propose(text, entities)] == [
        ("13800138000", "phone"),
        ("memet.t@example.org", "email"),
        ("tursun_85", "handle"),
        ("E12345678", "id_number"),
        ("Toqquzaq", "place"),
    ]


def test_it_keeps_offsets_in_the_original_after_normalising() -> None:
    # Full-width digits, bidi controls and a zero-width joiner before the ID.
    text = "\u202bID\u200d: ６５０１０２１９８００１０１１２３４\u202c, Мамат."
    spans = propose(text, MEMET)
    assert [(text[s.start : s.end], s.kind) for s in spans] == [
        ("６５０１０２１９８００１０１１２３４", "id_number"),
        ("Мамат", "name"),
    ]


def test_it_replaces_each_span_by_a_fixed_label() -> None:
    entities = Entities(names=(("Memet Tursun", "missing"), ("Ab Tursunbekov", "missing")))
    text = "Memet and Tursunbekov"
    out = apply(text, propose(text, entities))
    assert out == "[missing person's name] and [missing person's name]"
    assert "Memet" not in out and "Tursun" not in out


def test_it_never_writes_a_foreign_label() -> None:
    out = apply("secret here", [Span(0, 6, "name", "secret")])
    assert out == "[name] here"


def test_it_merges_overlapping_spans_in_apply() -> None:
    out = apply("0123456789", [Span(2, 6, "phone"), Span(4, 8, "id_number")])
    assert out == "01[ID number]89"


def test_it_shows_no_text_in_reprs() -> None:
    entities = Entities(names=(("Memet Tursun", "missing"),), contacts=("+8613800138000",))
    assert "Memet" not in repr(entities) and "138" not in repr(entities)
    assert repr(Span(0, 5, "name")) == "Span(start=0, end=5, kind='name', label='[name]')"


def test_it_returns_sorted_non_overlapping_spans() -> None:
    text = "Memet Tursun, +86 138 0013 8000, 650102198001011234, memet@example.org, 43.9, 81.3"
    spans = propose(text, MEMET)
    assert spans == sorted(spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert len(spans) == 5


@pytest.mark.parametrize(
    "text",
    [
        "x" * 200_000,
        "7" * 10_000,
        ("\u202e\u2067" * 5_000 + "Memet" + "\u202c\u2069") * 2,
        " ".join(f"Word{i}" for i in range(30_000)),
        "买提" * 20_000,
        "\ud800 Memet \udfff",
        "WeChat " + "id " * 40 + "!",
        "No. 1 " + "Abc " * 5_000,
    ],
    ids=["letters", "digits", "bidi", "words", "chinese", "surrogates", "links", "streets"],
)
def test_it_finishes_on_hostile_input(text: str) -> None:
    # Bounded work: the speed is measured in bench/redaction_quality.py; this only checks
    # that such input comes back, with spans inside the text.
    start = time.monotonic()
    spans = propose(text, MEMET)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert time.monotonic() - start < 60


@pytest.mark.parametrize(
    ("place", "text", "written"),
    [
        ("Toqquzaq", "ئۇ توققۇزاق دا تۇراتتى", "توققۇزاق"),
        ("Toqquzaq", "Он жил в Токкузаке.", "Токкузаке"),
        ("托库扎克村", "He lived in Tokkuzak.", "Tokkuzak"),
    ],
)
def test_it_finds_a_place_in_other_scripts(place: str, text: str, written: str) -> None:
    assert [(text[s.start : s.end], s.kind) for s in propose(text, Entities(places=(place,)))] == [
        (written, "place")
    ]


def test_it_catches_a_look_alike_letter_trick() -> None:
    # Latin M and a inside a Cyrillic name, and a bidi override between the parts.
    text = "Ma\u043c\u0430\u0442\u202e\u0422\u0443\u0440\u0441\u0443\u043d came"
    spans = propose(text, MEMET)
    assert [(s.start, s.end) for s in spans] == [(0, 12)]


# Letters of every script, digits of several numeral systems, separators, marks, controls.
ALPHABET = st.sampled_from(
    list("abcdeMmTtuYrsn ,.-/:()+@#°'\"NEX0123456789")
    + list("٠١٢٣٤٥٦٧٨٩۰۱۲۳٤０１２３")
    + list("МаматТурсуннің")
    + list("مەمەتتۇرسۇننىڭ")
    + list("买提吐尔逊号路村")
    + ["\u202e", "\u200d", "\ufeff", "\u0301", "😀", "\n"]
)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_it_returns_sorted_spans_inside_any_text(text: str) -> None:
    spans = propose(text, MEMET)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(s.label in LABELS.values() for s in spans)
    redacted = apply(text, spans)
    for span in spans:
        assert span.label in redacted
