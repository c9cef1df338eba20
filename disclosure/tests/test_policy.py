"""What each identity level lets through, judged by whose names find which letters: in
Uyghur families the father's given name is the children's surname, so "Tursun" belongs
to the missing person, the father and a sister at once."""

from __future__ import annotations

from disclosure import consent, policy
from disclosure.redaction import Entities

CASE = policy.Case(
    Entities(
        names=(
            ("Memet Tursun", "missing"),
            ("Tursun Ablimit", "relative"),
            ("Gulnar Tursun", "reporter"),
            ("Abdukerim Rozi", "witness"),
        ),
        contacts=("+7 701 555 0199",),
        id_numbers=("653101198401012345",),
    )
)
NAMED = consent.MISSING_NAMED


def judged(text: str, level: str = NAMED, choices: dict[str, str] | None = None) -> dict:
    return {
        p.text: (p.redacted, p.forbidden)
        for p in policy.proposals(text, CASE, level, choices or {})
    }


def test_it_keeps_the_missing_persons_name_though_the_father_shares_it() -> None:
    assert judged("Memet Tursun was taken.")["Memet Tursun"] == (False, False)


def test_it_never_keeps_the_reporter_who_shares_the_surname() -> None:
    assert judged("Gulnar Tursun called us.")["Gulnar Tursun"] == (True, True)


def test_it_redacts_a_relative_by_default_and_lets_the_caseworker_keep_it() -> None:
    text = "Tursun Ablimit went to the police."
    assert judged(text)["Tursun Ablimit"] == (True, False)
    key = next(p.key for p in policy.proposals(text, CASE, NAMED, {}))
    assert judged(text, choices={key: "keep"})["Tursun Ablimit"] == (False, False)


def test_it_does_not_keep_a_name_that_runs_into_another_persons() -> None:
    found = judged("Memet Tursun Ablimit was seen.")
    assert all(redacted for redacted, _forbidden in found.values())


def test_a_witness_and_every_contact_are_forbidden_below_reporter_named() -> None:
    found = judged("Abdukerim Rozi saw it. Call +7 701 555 0199.")
    assert found["Abdukerim Rozi"] == (True, True)
    assert all(forbidden for text, (_r, forbidden) in found.items() if "0199" in text)
    named = judged("Gulnar Tursun, +7 701 555 0199", consent.REPORTER_NAMED)
    assert all(not forbidden for _redacted, forbidden in named.values())


def test_it_names_no_one_at_the_anonymous_level() -> None:
    found = judged("Memet Tursun, ID 653101198401012345", consent.ANONYMOUS)
    assert found and all(found_ == (True, True) for found_ in found.values())


def test_a_choice_cannot_keep_what_is_forbidden() -> None:
    text = "Abdukerim Rozi saw it."
    key = next(p.key for p in policy.proposals(text, CASE, NAMED, {}))
    assert judged(text, choices={key: "keep"})["Abdukerim Rozi"] == (True, True)


def test_the_leak_finder_finds_the_father_in_another_script_but_not_the_kept_name() -> None:
    find = policy.leak_finder(CASE, NAMED, {})
    text = "Memet Tursun. Our father تۇرسۇن ئابلىمىت asked."
    kinds = [(text[s:e], kind) for s, e, kind in find(text)]
    assert kinds == [("تۇرسۇن ئابلىمىت", "name")]


def test_the_leak_finder_ignores_address_guesses_in_fixed_headings() -> None:
    find = policy.leak_finder(CASE, NAMED, {})
    assert find("Home county or city: Yarkand") == []


def test_a_public_statement_never_keeps_an_id_number_a_village_or_coordinates() -> None:
    entities = CASE.entities
    text = "Memet Tursun, ID 653101198401012345, of Bostan, seen at 43.91, 81.32."
    entities = Entities(names=entities.names, id_numbers=entities.id_numbers, places=("Bostan",))
    for published, expected in ((False, False), (True, True)):
        case = policy.Case(entities, published=published)
        found = {
            p.span.kind: p.forbidden
            for p in policy.proposals(text, case, NAMED, {})
            if p.span.kind in policy.PUBLISHED_NEVER
        }
        assert set(found) == {"id_number", "place", "gps"}
        assert all(forbidden is expected for forbidden in found.values())
