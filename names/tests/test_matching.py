from names import matching


def test_it_matches_one_man_reported_in_different_scripts() -> None:
    a = matching.identity([("Мамат Турсунов", "cyrillic")], birth_year=1978)
    b = matching.identity(
        [("مەمەت تۇرسۇن", "ug-arab"), ("Mehmet Tursun", "latin")], birth_year=1978
    )
    match = matching.compare(a, b)
    assert match.score >= 90
    assert "same_given_name" in match.reasons
    assert "same_full_name" in match.reasons
    assert "birth_year_same" in match.reasons
    assert any(r.startswith("scripts:") for r in match.reasons)


def test_it_names_the_scripts_compared() -> None:
    a = matching.identity([("买买提·吐尔逊", "hani")])
    b = matching.identity([("مەمەت تۇرسۇن", "ug-arab")])
    match = matching.compare(a, b)
    assert "scripts:Hani:Arab" in match.reasons
    assert match.score >= 90


def test_it_uses_the_fathers_given_name_as_a_surname() -> None:
    # Abroad the father's given name becomes the surname: "Memet Tursun", father Tursun.
    with_surname = matching.identity(["Memet Tursun"])
    with_father = matching.identity(["Memet"], father="Tursun Ablimit")
    without_father = matching.identity(["Memet"])
    match = matching.compare(with_surname, with_father)
    assert "same_father_name" in match.reasons
    assert match.score > matching.compare(with_surname, without_father).score


def test_it_rewards_the_same_father_and_penalises_a_different_one() -> None:
    base = matching.identity(["Gulnar Ablimit"], father="Ablimit Rozi")
    same = matching.identity(["Гульнар Аблимитова"], father="Аблимит Рози")
    other = matching.identity(["Гульнар Аблимитова"], father="Tursun Qasim")
    unknown = matching.identity(["Гульнар Аблимитова"])
    assert "same_father_name" in matching.compare(base, same).reasons
    assert "same_father_name" not in matching.compare(base, other).reasons
    assert matching.compare(base, other).score <= matching.compare(base, unknown).score - 10


def test_it_weighs_the_birth_year() -> None:
    a = matching.identity(["Memet Tursun"], birth_year=1980)
    same = matching.compare(a, matching.identity(["Memet Tursun"], birth_year=1980))
    near = matching.compare(a, matching.identity(["Memet Tursun"], birth_year=1981))
    far = matching.compare(a, matching.identity(["Memet Tursun"], birth_year=1990))
    assert "birth_year_same" in same.reasons
    assert "birth_year_near" in near.reasons
    assert "birth_year_differs" in far.reasons
    assert far.score < near.score <= same.score


def test_it_notes_the_same_county() -> None:
    a = matching.identity(["Memet Tursun"], county="Ghulja")
    b = matching.identity(["Mamat Tursunov"], county="Гулжа")
    assert "county_same" in matching.compare(a, b).reasons


def test_it_notes_names_in_another_order() -> None:
    swapped = matching.identity(["Tursun Memet"])
    b = matching.identity(["Memet Tursun"])
    assert "name_order_differs" in matching.compare(swapped, b).reasons
    assert "name_order_differs" not in matching.compare(b, b).reasons
    # An ALL-CAPS surname written first is the passport order, not a swap.
    passport = matching.identity(["TURSUNOV Memet"])
    assert "name_order_differs" not in matching.compare(passport, b).reasons


def test_it_scores_swapped_given_and_fathers_names_below_the_same_order() -> None:
    # Memet Tursun and Tursun Memet are usually two people.
    b = matching.identity(["Memet Tursun"])
    same = matching.compare(matching.identity(["Mamat Tursunov"]), b).score
    swapped = matching.compare(matching.identity(["Tursun Memet"]), b).score
    assert swapped < same - 5


def test_it_ranks_a_namesake_below_the_same_man() -> None:
    report = matching.identity(["Мамат Турсун"], birth_year=1978)
    same = matching.identity(["Memet Tursun"], birth_year=1978)
    namesake = matching.identity(["Memet Abdulla"], birth_year=1978)
    assert matching.compare(report, same).score > matching.compare(report, namesake).score + 15


def test_it_compares_the_best_of_several_names() -> None:
    a = matching.identity(["Memet Abdulla", "Mehmet Tursun"])
    b = matching.identity(["Мамат Турсунов"])
    assert matching.compare(a, b).score >= 90


def test_it_gives_nothing_for_a_person_without_names() -> None:
    assert matching.compare(matching.identity([]), matching.identity(["Memet"])).score == 0


def test_it_finds_the_given_name_after_a_passport_surname() -> None:
    a = matching.identity(["TURSUNOV Mamat"])
    b = matching.identity(["Memet Tursun"])
    assert "same_given_name" in matching.compare(a, b).reasons
    namesake = matching.identity(["Tursun Abdulla"])
    assert "same_given_name" not in matching.compare(a, namesake).reasons
