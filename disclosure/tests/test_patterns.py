# ruff: noqa: RUF001 -- Uyghur, Russian, Kazakh, Chinese text and full-width forms
"""Pattern detectors: ID numbers, phones, e-mail, handles, coordinates, addresses."""

from __future__ import annotations

import pytest

from disclosure import patterns
from disclosure.redaction import Entities, propose

NOBODY = Entities()


def kinds(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in propose(text, NOBODY)]


def test_it_checks_the_prc_id_check_digit() -> None:
    assert patterns.prc_id_valid("11010519491231002X")
    assert patterns.prc_id_valid("11010519491231002x")
    assert not patterns.prc_id_valid("110105194912310021")
    assert not patterns.prc_id_valid("1101051949123100")


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # valid, X check digit
        "110105194912310021",  # wrong check digit: still an ID
        "110105491231002",  # legacy 15 digits
        "1101051949123100",  # 16 digits, partly remembered
        "1101 0519 4912 3100 2X",  # in groups
    ],
)
def test_it_finds_id_numbers_and_any_15_to_18_digit_run(number: str) -> None:
    text = f"His ID number is {number}."
    assert kinds(text) == [(number, "id_number")]


@pytest.mark.parametrize("number", ["E12345678", "G87654321", "N1234567"])
def test_it_finds_passport_numbers(number: str) -> None:
    assert kinds(f"passport {number} expired") == [(number, "id_number")]


@pytest.mark.parametrize(
    "written",
    [
        "٦٥٠١٠٢١٩٨٠٠١٠١١٢٣٤",  # Arabic-Indic
        "۶۵۰۱۰۲۱۹۸۰۰۱۰۱۱۲۳۴",  # Extended Arabic-Indic
        "６５０１０２１９８００１０１１２３４",  # full-width
        "६५०१०२१९८००१०११२३४",  # Devanagari: any Unicode decimal digits
    ],
)
def test_it_reads_digits_of_every_numeral_system(written: str) -> None:
    text = f"كىملىك نومۇرى {written} ئىدى"
    assert kinds(text) == [(written, "id_number")]


@pytest.mark.parametrize(
    "phone",
    [
        "+86 138 0013 8000",
        "0086-138-0013-8000",
        "138 0013 8000",
        "+7 701 123 4567",
        "8 (701) 123-45-67",
        "+90 532 123 45 67",
        "0532 123 45 67",
        "+1 (415) 555-2671",
        "+49 1512 3456789",
        "+٨٦ ١٣٨ ٠٠١٣ ٨٠٠٠",
    ],
)
def test_it_finds_phone_numbers(phone: str) -> None:
    assert kinds(f"Call {phone} tonight") == [(phone, "phone")]


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("write to memet.tursun@gmail.com today", "memet.tursun@gmail.com"),
        ("请通过aygul.82@gmail.com联系我", "aygul.82@gmail.com"),
        ("memet [at] example [dot] org", "memet [at] example [dot] org"),
    ],
)
def test_it_finds_email_addresses(text: str, email: str) -> None:
    assert kinds(text) == [(email, "email")]


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("on Telegram @tursun_m since", "@tursun_m"),
        ("WeChat: memet_85.", "memet_85"),
        ("微信号：wxid_abc123联系我", "wxid_abc123"),
        ("ئۈندىدار: aygul88 ئارقىلىق", "aygul88"),
        ("Telegram: @aygul_kz.", "@aygul_kz"),
        ("WeChat idris85 is his", "idris85"),  # "id" starts the id: not a link word
        ("WeChat ID: memet_85", "memet_85"),
    ],
)
def test_it_finds_messaging_handles(text: str, handle: str) -> None:
    assert kinds(text) == [(handle, "handle")]


def test_it_leaves_a_word_after_a_service_name() -> None:
    assert kinds("I called him on WeChat but nobody answered.") == []


@pytest.mark.parametrize(
    "gps",
    ["43.9, 81.3", "43.91234, 81.32345", "N 39.47123, E 75.99", "43°54'30\"N 81°18'05\"E"],
)
def test_it_finds_coordinates(gps: str) -> None:
    assert kinds(f"Our house is at {gps} on the map.") == [(gps, "gps")]


@pytest.mark.parametrize(
    "address",
    [
        "No. 12 Xinhua Road",
        "Atatürk Caddesi No: 5",
        "ул. Абая, д. 15, кв. 3",
        "Абай көшесі, 88-үй",
        "解放路12号",
        "ئازادلىق يولى 12-نومۇر",
        "Toqquzaq village",
        "Tokkuzak köyü",
    ],
)
def test_it_finds_addresses_and_villages(address: str) -> None:
    assert [k for _, k in kinds(f"He lived at {address} until then.")] == ["address"]
    assert kinds(f"He lived at {address} until then.")[0][0].endswith(address[-3:])


@pytest.mark.parametrize(
    "text",
    [
        "In 2017, on 12.03.2018, 3 people came; 1,500 were taken.",
        "Sent 2026-11-22 19:05 from the office.",
        "They came in 2017 2018 2019 again.",
        "按地区查看，社区工作人员说。",
        "ئالاقىلىشىش يولى تاللاڭ",
        "Home county and district",
    ],
)
def test_it_leaves_dates_counts_and_plain_words(text: str) -> None:
    assert kinds(text) == []


def test_it_maps_normalised_offsets_back() -> None:
    norm = patterns.normalise("a\u202e١٢\ufb50b")
    assert norm.text == "a12\u0671b"
    assert norm.span(1, 3) == (2, 4)
    assert norm.span(4, 5) == (5, 6)
