import os
import tracemalloc

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from crypto import aead
from crypto.errors import CryptoError, DecryptionError, FormatError
from crypto.tests import flips

KEY = bytes(range(32))
AAD = aead.associated_data("reports", 42, "narrative", 1)


@given(plaintext=st.binary(max_size=4096), aad=st.binary(max_size=256))
def test_it_round_trips_arbitrary_bytes_and_associated_data(plaintext, aad):
    sealed = aead.seal(KEY, plaintext, aad)
    assert aead.open_(KEY, sealed, aad) == plaintext


@pytest.mark.parametrize(
    "size", [aead._IN_PLACE_MIN - 1, aead._IN_PLACE_MIN, aead._IN_PLACE_MIN + 1, 1 << 20]
)
def test_it_round_trips_large_records_as_bytes(size):
    plaintext = os.urandom(size)
    sealed = aead.seal(KEY, plaintext, AAD)
    assert type(sealed) is bytes
    assert len(sealed) == size + aead.OVERHEAD
    assert aead.open_(KEY, sealed, AAD) == plaintext


def test_it_allocates_a_large_sealed_record_only_once():
    plaintext = os.urandom(1 << 20)
    aead.seal(KEY, plaintext, AAD)
    tracemalloc.start()
    try:
        sealed = aead.seal(KEY, plaintext, AAD)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # No second buffer of the record's size (the throughput of seal depends on it).
    assert peak < len(sealed) + 64 * 1024


def test_it_writes_header_nonce_ciphertext_and_tag():
    plaintext = b"Where are they?"
    sealed = aead.seal(KEY, plaintext, AAD)
    assert sealed[:5] == b"AMS\x01\x01"
    assert len(sealed) == 5 + 12 + len(plaintext) + 16
    nonce = sealed[5:17]
    # The header is authenticated in front of the caller's associated data.
    assert AESGCM(KEY).decrypt(nonce, sealed[17:], b"AMS\x01\x01" + AAD) == plaintext


def test_it_uses_a_fresh_nonce_for_every_seal():
    nonces = {aead.seal(KEY, b"same", AAD)[5:17] for _ in range(100)}
    assert len(nonces) == 100


def test_it_makes_random_32_byte_keys():
    keys = {aead.new_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(k) == 32 for k in keys)


@pytest.mark.parametrize("size", [0, 1, 100])
def test_it_rejects_every_single_byte_flip(size):
    sealed = aead.seal(KEY, os.urandom(size), AAD)
    for position, mask, altered in flips(sealed, (0x01, 0x80, 0xFF)):
        with pytest.raises((DecryptionError, FormatError)):
            aead.open_(KEY, altered, AAD)
            pytest.fail(f"flip {mask:#x} at {position} was accepted")


def test_it_reports_header_flips_as_format_errors():
    sealed = aead.seal(KEY, b"x", AAD)
    for position in range(5):
        altered = bytearray(sealed)
        altered[position] ^= 0x01
        with pytest.raises(FormatError):
            aead.open_(KEY, bytes(altered), AAD)


def test_it_rejects_every_truncation_and_appended_bytes():
    sealed = aead.seal(KEY, b"a short field", AAD)
    for length in range(len(sealed)):
        with pytest.raises((DecryptionError, FormatError)):
            aead.open_(KEY, sealed[:length], AAD)
    for extra in (b"\x00", b"\x00" * 16, sealed):
        with pytest.raises(DecryptionError):
            aead.open_(KEY, sealed + extra, AAD)


@given(aad_a=st.binary(max_size=64), aad_b=st.binary(max_size=64))
def test_it_rejects_swapped_associated_data(aad_a, aad_b):
    if aad_a == aad_b:
        return
    sealed = aead.seal(KEY, b"name of the missing person", aad_a)
    with pytest.raises(DecryptionError):
        aead.open_(KEY, sealed, aad_b)


def test_it_rejects_a_ciphertext_moved_to_another_row_or_field():
    row_1 = aead.associated_data("intake_report", 1, "reporter_name", 1)
    row_2 = aead.associated_data("intake_report", 2, "reporter_name", 1)
    other_field = aead.associated_data("intake_report", 1, "reporter_contact", 1)
    other_version = aead.associated_data("intake_report", 1, "reporter_name", 2)
    sealed = aead.seal(KEY, b"Aygul", row_1)
    assert aead.open_(KEY, sealed, row_1) == b"Aygul"
    for place in (row_2, other_field, other_version):
        with pytest.raises(DecryptionError):
            aead.open_(KEY, sealed, place)


def test_it_rejects_the_wrong_key():
    sealed = aead.seal(KEY, b"secret", AAD)
    with pytest.raises(DecryptionError):
        aead.open_(aead.new_key(), sealed, AAD)


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_it_refuses_keys_that_are_not_32_bytes(size):
    with pytest.raises(ValueError):
        aead.seal(bytes(size), b"x", AAD)
    with pytest.raises(ValueError):
        aead.open_(bytes(size), aead.seal(KEY, b"x", AAD), AAD)


def test_it_rejects_other_kinds_of_object():
    sealed = aead.seal(KEY, b"x", AAD)
    for kind in (b"W", b"L", b"F", b"P", b"K"):
        with pytest.raises(FormatError):
            aead.open_(KEY, sealed[:2] + kind + sealed[3:], AAD)


@given(
    a=st.lists(st.one_of(st.text(max_size=8), st.binary(max_size=8)), max_size=5),
    b=st.lists(st.one_of(st.text(max_size=8), st.binary(max_size=8)), max_size=5),
)
def test_it_encodes_associated_data_without_ambiguity(a, b):
    def raw(parts):
        return [p.encode() if isinstance(p, str) else p for p in parts]

    if raw(a) != raw(b):
        assert aead.associated_data(*a) != aead.associated_data(*b)
    else:
        assert aead.associated_data(*a) == aead.associated_data(*b)


def test_it_length_prefixes_each_part_of_the_associated_data():
    assert aead.associated_data("ab", "c") != aead.associated_data("a", "bc")
    assert aead.associated_data("ab", 7) == b"\x00\x00\x00\x02ab\x00\x00\x00\x017"
    assert aead.associated_data() == b""


def test_it_keeps_plaintext_and_key_out_of_error_messages():
    plaintext = b"Mihrigul Tursun, Urumqi"
    sealed = aead.seal(KEY, plaintext, AAD)
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    for attempt in (
        lambda: aead.open_(KEY, altered, AAD),
        lambda: aead.open_(KEY, sealed, b"elsewhere"),
        lambda: aead.open_(KEY, b"AMS\x09\x01" + sealed[5:], AAD),
    ):
        with pytest.raises(CryptoError) as caught:
            attempt()
        message = str(caught.value)
        assert plaintext.decode() not in message
        assert KEY.hex() not in message and repr(KEY) not in message
        assert caught.value.__cause__ is None
