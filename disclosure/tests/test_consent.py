"""The consent table, row by row: every consent level x recipient kind x identity level,
written out here by hand (not derived from the table it checks)."""

from __future__ import annotations

import pytest

from disclosure import consent
from intake.models import Consent

A, M, R = consent.ANONYMOUS, consent.MISSING_NAMED, consent.REPORTER_NAMED
UN, PARTNER, PUBLIC = consent.UN, consent.PARTNER, consent.PUBLIC

# (consent, kind) -> the levels allowed; every other level is refused.
EXPECTED = {
    ("internal", UN): set(),
    ("internal", PARTNER): set(),
    ("internal", PUBLIC): set(),
    ("un-confidential", UN): {A, M},
    ("un-confidential", PARTNER): set(),
    ("un-confidential", PUBLIC): set(),
    ("un-named", UN): {A, M, R},
    ("un-named", PARTNER): set(),
    ("un-named", PUBLIC): set(),
    ("partners", UN): set(),
    ("partners", PARTNER): {A},
    ("partners", PUBLIC): set(),
    ("publish-name", UN): {A, M},
    ("publish-name", PARTNER): {A, M},
    ("publish-name", PUBLIC): {A, M},
    ("public", UN): {A, M},
    ("public", PARTNER): {A, M},
    ("public", PUBLIC): {A, M},
}
ROWS = [
    (level, kind, identity, identity in allowed)
    for (level, kind), allowed in EXPECTED.items()
    for identity in consent.LEVELS
]


@pytest.mark.parametrize(("level", "kind", "identity", "allowed"), ROWS)
def test_it_allows_exactly_what_each_row_says(level, kind, identity, allowed) -> None:
    assert consent.allows(level, kind, identity) is allowed


def test_it_covers_every_choice_of_the_form_and_every_recipient_kind() -> None:
    assert set(consent.TABLE) == set(Consent.values)
    assert {kind for _level, kind in EXPECTED} == set(consent.RECIPIENT_KINDS)
    assert {level for level, _kind in EXPECTED} == set(Consent.values)


def test_it_never_names_the_reporter_beyond_the_un() -> None:
    for level in Consent.values:
        for kind in (PARTNER, PUBLIC):
            assert not consent.allows(level, kind, R)


@pytest.mark.parametrize("level", ["", "PUBLIC", "public ", "everything", "un"])
def test_it_allows_nothing_for_an_unknown_consent(level) -> None:
    assert all(not consent.allows(level, kind, A) for kind in consent.RECIPIENT_KINDS)
    assert consent.most(level, UN) is None


def test_it_refuses_an_unknown_identity_level() -> None:
    assert not consent.allows("public", PUBLIC, "everyone-named")


def test_it_takes_the_least_of_several_reports() -> None:
    assert consent.most_for(["un-named", "un-confidential"], UN) == M
    assert consent.most_for(["un-named", "un-named"], UN) == R
    assert consent.most_for(["public", "partners"], PARTNER) == A
    # One report that allows nothing for the kind blocks the export.
    assert consent.most_for(["un-named", "partners"], UN) is None
    assert consent.most_for(["public", "internal"], PUBLIC) is None
    assert consent.most_for([], UN) is None


def test_it_publishes_a_narrative_only_under_full_public_use() -> None:
    assert consent.narrative_public(["public"])
    assert consent.narrative_public(["public", "public"])
    assert not consent.narrative_public(["public", "publish-name"])
    assert not consent.narrative_public(["publish-name"])
    assert not consent.narrative_public([])
