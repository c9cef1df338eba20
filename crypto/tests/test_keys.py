import hashlib
import os

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import keys
from crypto.errors import CryptoError, DecryptionError, FormatError
from crypto.tests import flips

ALICE = keys.PrivateKey.generate()
BOB = keys.PrivateKey.generate()
INFO = b"report-dek/7f3c/holder/alice"


@settings(max_examples=50)
@given(key=st.binary(min_size=0, max_size=64), info=st.binary(max_size=128))
def test_it_round_trips_wrap_and_unwrap(key, info):
    wrapped = keys.wrap(key, ALICE.public_key(), info)
    assert keys.unwrap(wrapped, ALICE, info) == key


def test_it_wraps_a_32_byte_key_into_1173_bytes_under_a_header():
    wrapped = keys.wrap(os.urandom(32), ALICE.public_key(), INFO)
    assert wrapped[:5] == b"AMW\x01\x01"
    # header 5 | ML-KEM-768 ciphertext 1088 | X25519 share 32 | key 32 | tag 16
    assert len(wrapped) == 5 + 1088 + 32 + 32 + 16 == 1173


def test_it_binds_the_header_into_the_hpke_info():
    key = os.urandom(32)
    wrapped = keys.wrap(key, ALICE.public_key(), INFO)
    body = wrapped[5:]
    assert keys._SUITE.decrypt(body, ALICE._hpke, info=b"AMW\x01\x01\x00" + INFO) == key
    with pytest.raises(InvalidTag):
        keys._SUITE.decrypt(body, ALICE._hpke, info=INFO)


def test_it_wraps_the_same_key_differently_each_time():
    key = os.urandom(32)
    assert keys.wrap(key, ALICE.public_key(), INFO) != keys.wrap(key, ALICE.public_key(), INFO)


def test_it_rejects_every_single_byte_flip_of_a_wrapped_key():
    wrapped = keys.wrap(os.urandom(32), ALICE.public_key(), INFO)
    for position, mask, altered in flips(wrapped):
        with pytest.raises((DecryptionError, FormatError)):
            keys.unwrap(altered, ALICE, INFO)
            pytest.fail(f"flip {mask:#x} at {position} was accepted")


def test_it_rejects_every_truncation_and_appended_bytes():
    wrapped = keys.wrap(os.urandom(32), ALICE.public_key(), INFO)
    for length in range(len(wrapped)):
        with pytest.raises((DecryptionError, FormatError)):
            keys.unwrap(wrapped[:length], ALICE, INFO)
    for extra in (b"\x00", os.urandom(16)):
        with pytest.raises(DecryptionError):
            keys.unwrap(wrapped + extra, ALICE, INFO)


def test_it_rejects_unwrapping_with_other_info():
    wrapped = keys.wrap(os.urandom(32), ALICE.public_key(), b"report-dek/1/holder/alice")
    for info in (b"report-dek/2/holder/alice", b"index-key/holder/alice", b""):
        with pytest.raises(DecryptionError):
            keys.unwrap(wrapped, ALICE, info)


def test_it_rejects_unwrapping_with_another_private_key():
    wrapped = keys.wrap(os.urandom(32), ALICE.public_key(), INFO)
    with pytest.raises(DecryptionError):
        keys.unwrap(wrapped, BOB, INFO)


def test_it_rejects_other_kinds_of_object_as_a_wrapped_key():
    wrapped = keys.wrap(os.urandom(32), ALICE.public_key(), INFO)
    for kind in (b"S", b"L", b"F", b"P", b"K"):
        with pytest.raises(FormatError):
            keys.unwrap(wrapped[:2] + kind + wrapped[3:], ALICE, INFO)


def test_it_round_trips_private_keys_through_bytes():
    data = ALICE.to_bytes()
    assert len(data) == keys.PRIVATE_KEY_SIZE == 5 + 64 + 32
    assert data[:5] == b"AMK\x01\x01"
    restored = keys.PrivateKey.from_bytes(data)
    assert restored.to_bytes() == data
    assert restored.public_key() == ALICE.public_key()
    key = os.urandom(32)
    assert keys.unwrap(keys.wrap(key, ALICE.public_key(), INFO), restored, INFO) == key


def test_it_round_trips_public_keys_through_bytes():
    public = ALICE.public_key()
    data = public.to_bytes()
    assert len(data) == keys.PUBLIC_KEY_SIZE == 5 + 1184 + 32
    assert data[:5] == b"AMP\x01\x01"
    restored = keys.PublicKey.from_bytes(data)
    assert restored == public
    assert hash(restored) == hash(public)
    assert restored != BOB.public_key()
    key = os.urandom(32)
    assert keys.unwrap(keys.wrap(key, restored, INFO), ALICE, INFO) == key


@pytest.mark.parametrize("cls", [keys.PublicKey, keys.PrivateKey])
def test_it_refuses_serialised_keys_of_the_wrong_length(cls):
    data = ALICE.public_key().to_bytes() if cls is keys.PublicKey else ALICE.to_bytes()
    for bad in (b"", data[:4], data[:5], data[:-1], data + b"\x00", data + data):
        with pytest.raises(FormatError):
            cls.from_bytes(bad)


@pytest.mark.parametrize("cls", [keys.PublicKey, keys.PrivateKey])
def test_it_refuses_serialised_keys_with_the_wrong_header(cls):
    data = ALICE.public_key().to_bytes() if cls is keys.PublicKey else ALICE.to_bytes()
    for position in range(5):
        for mask in (0x01, 0x80):
            altered = bytearray(data)
            altered[position] ^= mask
            with pytest.raises(FormatError):
                cls.from_bytes(bytes(altered))


def test_it_refuses_a_private_key_given_as_a_public_key_and_back():
    with pytest.raises(FormatError):
        keys.PublicKey.from_bytes(ALICE.to_bytes())
    with pytest.raises(FormatError):
        keys.PrivateKey.from_bytes(ALICE.public_key().to_bytes())


def test_it_refuses_a_malformed_ml_kem_public_key():
    data = ALICE.public_key().to_bytes()
    # All-ones coefficients are not reduced modulo q: not a valid ML-KEM-768 key.
    bad = data[:5] + b"\xff" * 1184 + data[5 + 1184 :]
    with pytest.raises(FormatError):
        keys.PublicKey.from_bytes(bad)


def test_it_derives_the_same_key_pair_from_the_same_seed():
    seed = os.urandom(32)
    assert keys.PrivateKey.from_seed(seed).to_bytes() == keys.PrivateKey.from_seed(seed).to_bytes()
    assert (
        keys.PrivateKey.from_seed(seed).public_key()
        != keys.PrivateKey.from_seed(os.urandom(32)).public_key()
    )


def test_it_derives_key_pairs_from_a_seed_with_hkdf_sha256():
    seed = os.urandom(32)
    material = HKDF(
        algorithm=hashes.SHA256(), length=96, salt=None, info=b"amanat/recovery-key-pair/v1"
    ).derive(seed)
    assert keys.PrivateKey.from_seed(seed).to_bytes() == b"AMK\x01\x01" + material


def test_it_derives_different_key_pairs_for_different_purposes():
    seed = os.urandom(32)
    recovery = keys.PrivateKey.from_seed(seed, keys.RECOVERY_PURPOSE)
    reporter = keys.PrivateKey.from_seed(seed, keys.REPORTER_PURPOSE)
    assert keys.PrivateKey.from_seed(seed).to_bytes() == recovery.to_bytes()
    assert reporter.public_key() != recovery.public_key()
    material = HKDF(
        algorithm=hashes.SHA256(), length=96, salt=None, info=b"amanat/reporter-key-pair/v1"
    ).derive(seed)
    assert reporter.to_bytes() == b"AMK\x01\x01" + material


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_it_refuses_seeds_that_are_not_32_bytes(size):
    with pytest.raises(ValueError):
        keys.PrivateKey.from_seed(bytes(size))


def test_it_names_a_public_key_by_a_short_fingerprint():
    public = ALICE.public_key()
    assert public.fingerprint() == hashlib.sha256(public.to_bytes()).hexdigest()[:32]
    assert public.fingerprint() != BOB.public_key().fingerprint()


def test_it_keeps_key_bytes_out_of_repr_and_error_messages():
    secret = ALICE.to_bytes()
    assert secret.hex() not in repr(ALICE)
    assert secret[5:].hex()[:16] not in repr(ALICE)
    dek = os.urandom(32)
    wrapped = keys.wrap(dek, ALICE.public_key(), INFO)
    for attempt in (
        lambda: keys.unwrap(wrapped, BOB, INFO),
        lambda: keys.unwrap(wrapped[:-1], ALICE, INFO),
        lambda: keys.PrivateKey.from_bytes(secret[:-1]),
        lambda: keys.PrivateKey.from_bytes(b"AMK\x02\x01" + secret[5:]),
    ):
        with pytest.raises(CryptoError) as caught:
            attempt()
        message = str(caught.value)
        for value in (dek, secret, secret[5:37], secret[69:]):
            assert value.hex() not in message and repr(value) not in message
        assert caught.value.__cause__ is None
