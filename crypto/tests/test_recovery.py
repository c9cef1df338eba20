import itertools
import os
import re
from pathlib import Path

import pytest
import shamir_mnemonic
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import keys, recovery
from crypto.errors import RecoveryError

WORDLIST = set((Path(shamir_mnemonic.__file__).parent / "wordlist.txt").read_text().split())
INFO = b"report-dek/1/holder/recovery"


@pytest.fixture(scope="module")
def generated():
    private, shares = recovery.generate(3, 5)
    return private, shares


@pytest.fixture(scope="module")
def other_set():
    return recovery.generate(3, 5)[1]


def assert_refused(shares, secret_words=()):
    with pytest.raises(RecoveryError) as caught:
        recovery.recover(shares)
    message = str(caught.value).lower()
    # No word of the message is a SLIP-39 word, so none can be a share's word.
    assert not set(re.findall(r"[a-z]+", message)) & WORDLIST
    for word in secret_words:
        assert word not in message
    # The library's message (which may quote words) is not chained into tracebacks.
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_it_makes_five_shares_of_33_words(generated):
    _, shares = generated
    assert len(shares) == 5
    assert len(set(shares)) == 5
    for share in shares:
        words = share.split()
        assert len(words) == 33
        assert set(words) <= WORDLIST


def test_it_recovers_the_key_from_every_combination_of_three_shares(generated):
    private, shares = generated
    for combination in itertools.combinations(shares, 3):
        recovered = recovery.recover(combination)
        assert recovered.public_key() == private.public_key()
        assert recovered.to_bytes() == private.to_bytes()


def test_it_recovers_the_key_from_four_or_five_shares_in_any_order(generated):
    private, shares = generated
    assert recovery.recover(shares[::-1]).public_key() == private.public_key()
    assert recovery.recover(shares[1:]).public_key() == private.public_key()


def test_it_refuses_every_combination_of_two_shares(generated):
    _, shares = generated
    for combination in itertools.combinations(shares, 2):
        assert_refused(list(combination))


def test_it_refuses_one_share_none_or_a_share_given_twice(generated):
    _, shares = generated
    assert_refused([shares[0]])
    assert_refused([])
    assert_refused([shares[0], shares[0], shares[1]])


def test_it_refuses_shares_from_two_different_sets(generated, other_set):
    _, shares = generated
    assert_refused([shares[0], shares[1], other_set[2]])
    assert_refused([other_set[0], shares[1], shares[2], shares[3]])


def test_it_refuses_a_mistyped_word_without_repeating_it(generated):
    _, shares = generated
    words = shares[0].split()
    for position in (0, 5, 16, 32):
        # Another valid word: caught by the share's checksum.
        replacement = next(w for w in sorted(WORDLIST) if w != words[position])
        typo = " ".join([*words[:position], replacement, *words[position + 1 :]])
        assert_refused([typo, shares[1], shares[2]], secret_words=[typo, replacement])
        # A word not in the list at all (the library would quote it).
        misspelt = words[position][:-1] + "q"
        typo = " ".join([*words[:position], misspelt, *words[position + 1 :]])
        assert_refused([typo, shares[1], shares[2]], secret_words=[typo, misspelt])


def test_it_refuses_more_than_enough_shares_when_one_is_mistyped(generated):
    _, shares = generated
    words = shares[3].split()
    typo = " ".join([*words[:-1], next(w for w in sorted(WORDLIST) if w != words[-1])])
    assert_refused([*shares[:3], typo], secret_words=[typo])


def test_it_refuses_a_share_with_a_word_missing(generated):
    _, shares = generated
    words = shares[0].split()
    assert_refused([" ".join(words[:-1]), shares[1], shares[2]])


def test_it_accepts_shares_typed_with_capitals_and_extra_spaces(generated):
    private, shares = generated
    typed = ["  " + s.upper().replace(" ", "   ") + "\n" for s in shares[:3]]
    assert recovery.recover([*typed, "  "]).public_key() == private.public_key()


def test_it_unwraps_what_was_wrapped_to_the_original_recovery_key(generated):
    private, shares = generated
    dek = os.urandom(32)
    wrapped = keys.wrap(dek, private.public_key(), INFO)
    recovered = recovery.recover([shares[4], shares[0], shares[2]])
    assert keys.unwrap(wrapped, recovered, INFO) == dek


def test_it_derives_the_recovery_key_pair_from_the_combined_secret(generated):
    private, shares = generated
    secret = recovery.combine(shares[:3])
    assert len(secret) == 32
    assert keys.PrivateKey.from_seed(secret).to_bytes() == private.to_bytes()


@settings(max_examples=5, deadline=None)
@given(secret=st.binary(min_size=32, max_size=32), threshold=st.integers(2, 4))
def test_it_round_trips_any_secret_through_split_and_combine(secret, threshold):
    shares = recovery.split(secret, threshold, threshold + 1)
    assert recovery.combine(shares[:threshold]) == secret
    assert recovery.combine(shares[1:]) == secret


@pytest.mark.parametrize(
    ("threshold", "count"), [(1, 1), (1, 5), (0, 3), (4, 3), (3, 17), (17, 17)]
)
def test_it_refuses_thresholds_and_counts_out_of_range(threshold, count):
    with pytest.raises(ValueError):
        recovery.split(os.urandom(32), threshold, count)


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_it_refuses_secrets_that_are_not_32_bytes(size):
    with pytest.raises(ValueError):
        recovery.split(bytes(size), 3, 5)
