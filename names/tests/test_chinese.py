"""Names in Chinese characters and pinyin read as Uyghur/Kazakh Latin (`names.chinese`)."""

from pathlib import Path

import pytest

from names import chinese

# ruff: noqa: RUF001


def first(text: str) -> list[str]:
    """The best reading of each part."""
    return [r[0] for r in chinese.readings(text)]


def test_it_reads_the_old_and_the_new_form_of_a_name_the_same() -> None:
    assert first("买买提·吐尔逊") == first("麦麦提·吐尔逊") == ["memet", "tursun"]
    assert first("肉孜") == first("若孜") == ["rozi"]
    assert first("阿不都热依木") == first("阿卜都热依木") == ["abdurehim"]


def test_it_reads_du_in_abdu_not_dou() -> None:
    # Generic pinyin reads 都 as "dou"; in a name it is "du".
    assert "dou" not in "".join(chinese.readings("阿不都瓦依提")[0])
    assert chinese.readings("阿不都瓦依提")[0][0].startswith("abdu")
    assert chinese.pinyin_readings("abudureyimu")[0] == "abdurehim"


def test_it_reads_the_pinyin_a_converter_writes_too() -> None:
    # A phone or a converter writes 阿不都 "abudou": the same name.
    assert chinese.pinyin_readings("abudoureyimu")[0] == "abdurehim"


@pytest.mark.parametrize(
    "dot", ["·", "・", "‧", "•", "･", "∙", "⋅", "·", ".", "．", "-", "‐", "–", " "]
)
def test_it_splits_at_the_middle_dot_and_its_look_alikes(dot: str) -> None:
    assert first(f"伊力哈木{dot}土赫提") == ["ilham", "tohti"]


def test_it_cuts_a_name_with_no_dot_with_the_table() -> None:
    assert first("买买提吐尔逊") == ["memet", "tursun"]
    assert first("伊力哈木土赫提") == ["ilham", "tohti"]
    # A prefix joins the name after it: one part, not two.
    assert first("阿不都热依木") == ["abdurehim"]
    assert first("阿不都卡德尔") == ["abduqadir"]
    # A suffix joins the name before it.
    assert first("买买提江") == ["memetjan"]


def test_it_keeps_a_dotted_part_whole() -> None:
    # Between dots a part is one name even when it holds two table names.
    assert first("买买提吐尔逊·阿不都拉") == ["memettursun", "abdulla"]


def test_it_reads_unknown_characters_with_pypinyin() -> None:
    # 王 and 小 are not in the table: pypinyin reads them, toneless, in a-z.
    assert first("王小") == ["wangxiao"]
    # A character of the table keeps its name reading inside an unknown run.
    assert first("王都") == ["wangdu"]


def test_it_ignores_what_is_not_a_chinese_character() -> None:
    assert chinese.readings("") == []
    assert chinese.readings("Memet") == []
    assert first("买买提 (Memet)") == ["memet"]


@pytest.mark.parametrize(
    "written", ["maimaiti", "Maimaiti", "MAIMAITI", "Mǎimǎití", "mai3mai3ti2", "mai mai ti"]
)
def test_it_parses_pinyin_toned_toneless_and_in_capitals(written: str) -> None:
    assert chinese.pinyin_readings(written)[0] == "memet"


@pytest.mark.parametrize("written", ["tu'erxun", "Tǔ'ěrxùn", "tu’erxun", "Tuerxun", "TU-ER-XUN"])
def test_it_parses_pinyin_with_apostrophes_and_hyphens(written: str) -> None:
    assert chinese.pinyin_readings(written)[0] == "tursun"


def test_it_parses_pinyin_run_together() -> None:
    assert chinese.pinyin_readings("maimaitituerxun")[0] == "memettursun"
    assert chinese.pinyin_readings("AIKEBAIER")[0] == "ekber"


def test_it_refuses_latin_that_is_not_pinyin_of_a_name() -> None:
    for written in ["Memet", "Tursun", "Gulnar", "Erkin", "Smith", "", "maimaiti2x"]:
        assert chinese.pinyin_readings(written) == [], written


def test_it_reads_loose_syllables_only_when_they_look_like_pinyin() -> None:
    # Ali and Baqi parse as syllables (a-li, ba-qi) but are Latin names.
    assert chinese.pinyin_readings("Ali") == []
    assert chinese.pinyin_readings("Baqi") == []
    # Pinyin vowels or tone marks show pinyin: 麦提 read by its syllables.
    assert chinese.pinyin_readings("maiti")[0] == "met"
    assert chinese.pinyin_readings("Mǎlǐ") != []


def test_it_spells_a_name_new_form_first_then_old() -> None:
    assert chinese.spellings("memet")[:2] == ["麦麦提", "买买提"]
    rozi = chinese.spellings("rozi")
    assert rozi[0] == "若孜" and rozi[-1] == "肉孜"
    assert chinese.spellings("nothingknown") == []


def test_it_spells_a_compound_from_its_elements_without_mixing_old_and_new() -> None:
    forms = chinese.spellings("abdurehim")
    assert forms[0] == "阿卜都热依木"
    assert "阿不都热依木" in forms
    assert forms.index("阿卜都热依木") < forms.index("阿不都热依木")
    assert chinese.spellings("nurmemet")[0] == "努尔麦麦提"
    assert "麦麦提江" in chinese.spellings("memetjan")
    assert "买买提江" in chinese.spellings("memetjan")


def test_it_reads_a_kazakh_name() -> None:
    assert first("努尔兰·赛力克") == ["nurlan", "serik"]
    assert first("叶尔波拉提") == ["erbolat"]
    assert chinese.pinyin_readings("Nu'erlan") == ["nurlan"]


def test_it_reads_a_womans_gul_name() -> None:
    assert first("古丽娜尔") == ["gulnar"]
    assert first("阿依古丽") == ["aygul"]
    # 古丽 with a name the table lacks whole still reads as Gül-.
    assert first("古丽阿依")[0].startswith("gul")
    assert chinese.spellings("gulnar") == ["古丽娜尔"]


def test_it_keeps_every_reading_in_plain_a_z() -> None:
    for row in chinese.rows():
        for r in row.readings:
            assert r.isascii() and r.isalpha() and r.islower(), row


def test_it_gives_every_table_row_a_standard_and_a_source() -> None:
    rows = chinese.rows()
    assert len([r for r in rows if r.kind != "syllable"]) >= 290
    assert {r.standard for r in rows} == {"new", "old", "both"}
    assert all(r.source for r in rows)
    # Each new form of the standard has an old counterpart read the same.
    new = {r.readings[0] for r in rows if r.standard == "new"}
    old = {r.readings[0] for r in rows if r.standard == "old"}
    assert new <= old


def test_it_names_the_row_of_a_malformed_table(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "characters,pinyin,uyghur,kind,standard,source\n"
        "买买提,mai mai ti,memet,whole,new,usage\n"
        "吐尔逊,tu er xun,Tursun,whole,new,usage\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="row 2"):
        chinese.load(bad)


def test_it_keeps_the_latin_reading_first_for_a_latin_name_that_parses_as_pinyin() -> None:
    # Salima parses as sa-li-ma; read as pinyin it would lose its i.
    assert chinese.pinyin_readings("Salima")[0] == "salima"
    # With pinyin spellings (yi, xi) the name reading comes first.
    assert chinese.pinyin_readings("Haximu")[0] == "hashim"


def test_it_reads_loose_syllables_as_a_name_is_built() -> None:
    # No bare consonant at the start of a name or after a known element, none doubled,
    # and a last character writing a final consonant.
    assert first("克热木") == ["kerem"]
    assert first("阿卜杜克热木") == ["abdukerem"]
    assert first("麻木提") == ["mamut"]
    assert first("伊利哈木") == ["ilham"]


def test_it_cuts_pinyin_names_run_together_into_parts() -> None:
    parts = chinese.pinyin_parts("maimaitituerxun")
    assert [p[0] for p in parts] == ["memet", "tursun"]
    # A prefix joins the name after it, as in characters.
    assert [p[0] for p in chinese.pinyin_parts("abudureyimumaimaiti")] == ["abdurehim", "memet"]
    assert [p[0] for p in chinese.pinyin_parts("nuermaimaitiyisimayili")] == [
        "nurmemet",
        "ismayil",
    ]
    assert chinese.pinyin_parts("Memet") == []
    # One name stays one part.
    assert chinese.pinyin_parts("Maimaiti") == [chinese.pinyin_readings("Maimaiti")]


def test_it_reads_traditional_characters_as_simplified() -> None:
    assert first("買買提·吐爾遜") == first("买买提·吐尔逊")
    assert first("古麗娜爾") == ["gulnar"]


def test_it_lets_gul_end_a_name_of_loose_syllables_and_begin_the_next() -> None:
    # 古丽 begins Gülnar but ends Rizwangül; with no dot the name after it stands alone.
    parts = first("热孜万古丽依布拉音")
    assert len(parts) == 2
    assert parts[0] == "rezwangul"
    assert first("买买提古丽娜尔") == ["memet", "gulnar"]


def test_it_reads_la_as_ra_too() -> None:
    # Mandarin has no ra: 拉 writes Uyghur and Kazakh ra (Marat, Orazbek) as well as la.
    assert "orazbek" in chinese.pinyin_readings("Wolazibieke")
    assert {"ibrayim", "ibrayin"} & set(chinese.readings("依布拉音")[0])


def test_it_reads_pinyin_with_a_letter_typed_twice() -> None:
    assert chinese.pinyin_readings("abudukkelimu")[0] == "abdukerim"
    assert chinese.pinyin_readings("Anna") == []


def test_it_has_a_syllable_row_for_every_character_of_a_name() -> None:
    # A new form of a name the table lacks is read by its syllables: every character the
    # table's names use must have its value, and the names' pinyin must agree with it.
    rows = chinese.rows()
    syllable = {r.characters: r.pinyin[0] for r in rows if r.kind == "syllable"}
    for row in rows:
        assert [syllable.get(ch) for ch in row.characters] == list(row.pinyin), row


def test_it_reads_pinyin_with_a_vowel_dropped_beside_a_known_name() -> None:
    # aihmaiti for aihemaiti, after the known Abulimiti: read, the consonant as itself.
    parts = chinese.pinyin_parts("abulimitiaihmaiti")
    assert [p[0] for p in parts] == ["ablimit", "ehmet"]
    # Among loose syllables only, or in a Latin name, a dropped vowel is not guessed.
    assert chinese.pinyin_readings("yilihmu") == []
    for latin in ["Tursun", "Nurlan", "Arslan", "Marat", "Bolat", "Serik"]:
        assert chinese.pinyin_readings(latin) == [], latin
