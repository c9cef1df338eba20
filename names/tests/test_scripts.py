import pytest

import names

# ruff: noqa: RUF001


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("买买提·吐尔逊", "Hani"),
        ("Мамат Турсун", "Cyrl"),
        ("Нұрлан Серікұлы", "Cyrl"),
        ("Mehmet Tursun", "Latn"),
        ("Abdurëhim Gülnar Şöhret", "Latn"),
        ("مەمەت تۇرسۇن", "Arab"),
        ("Maimaiti Tuerxun", "Latn"),
        ("", ""),
        ("12 / 04", ""),
    ],
)
def test_it_detects_the_script_from_the_characters(text: str, script: str) -> None:
    assert names.detect_script(text) == script


@pytest.mark.parametrize(
    ("text", "wrong_hint", "script"),
    [
        ("Memet Tursun", "ug-arab", "Latn"),
        ("Мамат Турсун", "latin", "Cyrl"),
        ("مەمەت تۇرسۇن", "cyrillic", "Arab"),
        ("买买提", "latin", "Hani"),
    ],
)
def test_it_lets_the_characters_overrule_a_wrong_hint(
    text: str, wrong_hint: str, script: str
) -> None:
    assert names.parse(text, wrong_hint).script == script


def test_it_lets_the_hint_break_a_tie_only() -> None:
    # One Latin and one Cyrillic letter: a tie, which the hint decides.
    assert names.detect_script("a б", names.hint("cyrillic")) == "Cyrl"
    assert names.detect_script("a б", names.hint("latin")) == "Latn"


@pytest.mark.parametrize(
    ("code", "script"),
    [
        ("ug-arab", "Arab"),
        ("latin", "Latn"),
        ("pinyin", "Latn"),
        ("cyrillic", "Cyrl"),
        ("hani", "Hani"),
        ("other", ""),
        ("", ""),
        ("Arab", "Arab"),
        ("Latn", "Latn"),
        ("Cyrl", "Cyrl"),
        ("Hani", "Hani"),
        ("klingon", ""),
    ],
)
def test_it_maps_form_and_iso_codes_to_a_hint(code: str, script: str) -> None:
    assert names.hint(code) == script
