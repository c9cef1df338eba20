import pytest

import names


def test_it_spells_a_latin_name_in_every_script() -> None:
    got = names.variants("Memet Tursun")
    assert "Memet Tursun" in got["Latn"]
    assert "مەمەت تۇرسۇن" in got["Arab"]
    assert "Мәмәт Турсун" in got["Cyrl"]
    assert "Мамат Турсун" in got["Cyrl"]  # Russian style
    assert "Mamat Tursun" in got["Latn"]  # a passport's Latin line
    assert "Tursun" in got["Latn"]  # parts alone, for redaction


def test_it_spells_turkish_and_english_styles() -> None:
    got = names.variants("ئابدۇرېھىم خوجا")["Latn"]
    assert "Abdurëhim Xoja" in got
    assert "Abdurehim Hoca" in got
    assert "Abdurehim Khoja" in got


def test_it_spells_chinese_characters() -> None:
    got = names.variants("Memet Tursun")["Hani"]
    assert any("·" in s for s in got)
    assert "买买提" in got or "麦麦提" in got


@pytest.mark.parametrize(
    "text", ["Memet Tursun", "Gülnar Ablimit", "مەمەت تۇرسۇن", "Нұрлан Серікұлы"]
)
def test_it_round_trips_every_variant_to_the_same_name(text: str) -> None:
    original = names.parse(text)
    for script, spellings in names.variants(text).items():
        for spelling in spellings:
            back = names.parse(spelling, script)
            if len(back.parts) == len(original.parts):
                assert names.score(original, back) >= 85, (script, spelling)


def test_it_includes_the_text_as_written() -> None:
    assert "Мамат Турсунов" in names.variants("Мамат Турсунов")["Cyrl"]


def test_it_spells_the_fathers_name_as_a_russian_style_surname() -> None:
    got = names.variants("TURSUNOV Mamat")
    assert {"Турсунов", "Турсунова"} <= set(got["Cyrl"])
    assert {"Tursunov", "Tursunova"} <= set(got["Latn"])
    assert "Маматов" not in got["Cyrl"]  # the given name is not a surname


def test_it_spells_in_characters_a_spelling_the_table_lacks_by_its_keys() -> None:
    # "Mamat" is not in the Chinese table; Memet, with the same keys, is.
    assert "买买提" in names.variants("Mamat")["Hani"]
