import pytest

import names

SAME_PERSON = [
    ("Mehmet Tursun", "Memet Tursun"),
    ("Мамат Турсун", "Memet Tursun"),
    ("مەمەت تۇرسۇن", "Mehmet Tursun"),
    ("TURSUN Memet", "Memet Tursun"),
    ("Мамат Турсунов", "مەمەت تۇرسۇن"),
    ("Нұрлан Серікұлы", "Nurlan Serikuly"),
    ("Gülnar Ablimit", "Гульнар Аблимитова"),
    ("گۈلنار ئابلىمىت", "Gulnar Ablimit"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_it_scores_spellings_of_one_name_high(a: str, b: str) -> None:
    assert names.score(names.parse(a), names.parse(b)) >= 85


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("买买提·吐尔逊", "Memet Tursun"),
        ("Maimaiti Tuerxun", "Мамат Турсун"),
        ("努尔兰", "Nurlan"),
        ("古丽娜尔", "Gülnar"),
    ],
)
def test_it_scores_chinese_spellings_high(a: str, b: str) -> None:
    assert names.score(names.parse(a), names.parse(b)) >= 85


def test_it_scores_different_people_with_one_given_name_lower() -> None:
    same = names.score(names.parse("Memet Tursun"), names.parse("Mamat Tursunov"))
    other = names.score(names.parse("Memet Tursun"), names.parse("Memet Abdulla"))
    assert other < 75 < same


def test_it_scores_a_missing_part_below_a_full_match_but_above_a_conflict() -> None:
    full = names.score(names.parse("Memet Tursun"), names.parse("Memet Tursun"))
    partial = names.score(names.parse("Memet"), names.parse("Memet Tursun"))
    conflict = names.score(names.parse("Memet Abdulla"), names.parse("Memet Tursun"))
    assert conflict < partial < full


def test_it_is_symmetric() -> None:
    a, b = names.parse("Gülnar Tursun Ablimit"), names.parse("Гульнар Абдулла")
    assert names.score(a, b) == names.score(b, a)


def test_it_scores_an_empty_name_zero() -> None:
    assert names.score(names.parse(""), names.parse("Memet")) == 0


@pytest.mark.parametrize(
    "spelling",
    ["Gülnar", "Gulnar", "Гульнар", "Гүлнар", "گۈلنار", "古丽娜尔", "Gulnara", "Guelnar"],
)
def test_it_matches_every_spelling_of_gulnar(spelling: str) -> None:
    assert names.score(names.parse(spelling), names.parse("Gülnar")) >= 85


@pytest.mark.parametrize("spelling", ["Patiguli", "Патигуль", "پاتىگۈل", "帕提古丽", "Patigul"])
def test_it_matches_gul_and_guli_endings(spelling: str) -> None:
    assert names.score(names.parse(spelling), names.parse("Patigül")) >= 85


def test_it_tells_two_gul_names_apart() -> None:
    assert names.score(names.parse("Gülnar"), names.parse("Gülzar")) < 85
    assert names.score(names.parse("Patigül"), names.parse("Gülnar")) < 60
