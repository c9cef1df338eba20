import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crypto.blind import blind_index

KEY = bytes(range(64, 96))
OTHER_KEY = bytes(range(96, 128))

values = st.one_of(st.text(max_size=40), st.binary(max_size=40))
domains = st.text(min_size=1, max_size=20)


@given(value=values, domain=domains)
def test_it_gives_the_same_index_for_the_same_value(value, domain):
    assert blind_index(KEY, value, domain) == blind_index(KEY, value, domain)
    assert len(blind_index(KEY, value, domain)) == 32


@given(value=values, domain_a=domains, domain_b=domains)
def test_it_separates_domains(value, domain_a, domain_b):
    if domain_a == domain_b:
        return
    assert blind_index(KEY, value, domain_a) != blind_index(KEY, value, domain_b)


@given(value_a=values, value_b=values, domain=domains)
def test_it_gives_different_indexes_for_different_values(value_a, value_b, domain):
    raw_a = value_a.encode() if isinstance(value_a, str) else value_a
    raw_b = value_b.encode() if isinstance(value_b, str) else value_b
    if raw_a == raw_b:
        assert blind_index(KEY, value_a, domain) == blind_index(KEY, value_b, domain)
    else:
        assert blind_index(KEY, value_a, domain) != blind_index(KEY, value_b, domain)


@given(value=values, domain=domains)
def test_it_depends_on_the_index_key(value, domain):
    assert blind_index(KEY, value, domain) != blind_index(OTHER_KEY, value, domain)


def test_it_does_not_confuse_where_the_domain_ends_and_the_value_begins():
    assert blind_index(KEY, "eAygul", "person-nam") != blind_index(KEY, "Aygul", "person-name")
    assert blind_index(KEY, "1990", "birth-year") != blind_index(KEY, "1990", "person-name")


def test_it_is_hmac_sha256_of_the_length_prefixed_domain_and_value():
    value = "Ablajan"
    message = b"\x00\x00\x00\x0bperson-name" + b"\x00\x00\x00\x07Ablajan"
    expected = hmac.new(KEY, message, hashlib.sha256).digest()
    assert blind_index(KEY, value, "person-name") == expected
    assert blind_index(KEY, value.encode(), "person-name") == expected


@pytest.mark.parametrize("length", [1, 2, 4, 8, 16, 31, 32])
def test_it_truncates_to_a_prefix_of_the_full_index(length):
    full = blind_index(KEY, "ئابلاجان", "person-name")
    short = blind_index(KEY, "ئابلاجان", "person-name", length=length)
    assert short == full[:length]
    assert len(short) == length


def test_it_makes_shared_buckets_when_truncated_hard():
    # With one byte, 300 distinct names must share buckets: a match only suggests.
    buckets = {blind_index(KEY, f"name {i}", "person-name", length=1) for i in range(300)}
    assert len(buckets) <= 256


@pytest.mark.parametrize("length", [0, -1, 33])
def test_it_refuses_lengths_outside_1_to_32(length):
    with pytest.raises(ValueError):
        blind_index(KEY, "x", "d", length=length)


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_it_refuses_index_keys_that_are_not_32_bytes(size):
    with pytest.raises(ValueError):
        blind_index(bytes(size), "x", "d")
