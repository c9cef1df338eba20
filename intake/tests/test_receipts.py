import hashlib
import math

import pytest

from intake import receipts


def test_it_makes_21_digits_with_at_least_64_bits_of_secret():
    receipt = receipts.new()
    assert len(receipt) == 21 and receipt.isdigit()
    assert receipts.RANDOM_DIGITS * math.log2(10) >= 64


def test_it_makes_a_different_receipt_each_time():
    assert len({receipts.new() for _ in range(200)}) == 200


def test_it_groups_digits_for_reading():
    assert receipts.display("123456789012345678901") == "123 456 789 012 345 678 901"


def test_it_reads_back_what_it_displays():
    receipt = receipts.new()
    assert receipts.normalise(receipts.display(receipt)) == receipt
    assert receipts.normalise("-".join(receipts.display(receipt).split())) == receipt


def test_it_reads_digits_typed_in_other_scripts():
    receipt = receipts.new()
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in receipt)
    extended = "".join(chr(0x06F0 + int(d)) for d in receipt)
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in receipt)
    for typed in (arabic_indic, extended, fullwidth):
        assert receipts.normalise(typed) == receipt


def test_it_catches_every_single_digit_typo():
    receipt = receipts.new()
    for position in range(len(receipt)):
        wrong = str((int(receipt[position]) + 1) % 10)
        typo = receipt[:position] + wrong + receipt[position + 1 :]
        with pytest.raises(receipts.MalformedReceipt):
            receipts.normalise(typo)


@pytest.mark.parametrize("typed", ["", "12345", "1" * 22, "abc" * 7, "1234567890123456789O1"])
def test_it_refuses_what_is_not_a_receipt(typed):
    with pytest.raises(receipts.MalformedReceipt):
        receipts.normalise(typed)


PEPPER = b"p" * 32


def test_it_derives_the_same_lookup_and_key_from_the_same_receipt():
    receipt = receipts.new()
    first, again = receipts.derive(receipt, PEPPER), receipts.derive(receipt, PEPPER)
    assert first.lookup == again.lookup
    assert first.reporter.public_key() == again.reporter.public_key()


def test_its_lookup_depends_on_the_pepper_but_the_key_does_not():
    """The pepper is a server secret: it may key the lookup, never derive a key."""
    receipt = receipts.new()
    mine, other = receipts.derive(receipt, PEPPER), receipts.derive(receipt, b"q" * 32)
    assert mine.lookup != other.lookup
    assert mine.reporter.public_key() == other.reporter.public_key()


def test_different_receipts_give_different_lookups_and_keys():
    a, b = receipts.derive(receipts.new(), PEPPER), receipts.derive(receipts.new(), PEPPER)
    assert a.lookup != b.lookup
    assert a.reporter.public_key() != b.reporter.public_key()


def test_the_lookup_says_nothing_of_the_receipt():
    receipt = receipts.new()
    lookup = receipts.derive(receipt, PEPPER).lookup
    assert receipt not in lookup
    other_last_digit = str((int(receipt[-1]) + 1) % 10)
    assert lookup != receipts.derive(receipt[:-1] + other_last_digit, PEPPER).lookup


def test_the_derivation_never_changes_under_an_issued_receipt():
    # Receipts are never stored, so a change to the derivation (parameters, salt, labels)
    # would orphan every report already received: this known answer must keep holding.
    derived = receipts.derive("482193775601234567897", b"p" * 32)
    assert derived.lookup == "b9596a913ca4637b0822f3e1644b2e4089f6b1672df794efda3944a2f799e1e4"
    public = hashlib.sha256(derived.reporter.public_key().to_bytes()).hexdigest()
    assert public == "024cca583455721dd16610218cd85c6ed56c8522604d3c9a99c1b5a778dae4b9"


def test_it_derives_with_argon2id_at_no_less_than_its_floor():
    assert receipts.KDF_PARAMS.at_least(receipts.KDF_FLOOR)
    assert receipts.KDF_FLOOR.memory_kib >= 256
