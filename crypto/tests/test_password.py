import functools
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import kdf, password
from crypto.errors import CryptoError, DecryptionError, FormatError, WeakParametersError
from crypto.kdf import PASSWORD_DEFAULT, PASSWORD_FLOOR, Argon2Params
from crypto.tests import flips

SECRET = b"AMK\x01\x01" + bytes(range(96))
PASSWORD = "correct horse battery staple"
# header 5 | params 12 | salt 16 | nonce 12
PREFIX = 5 + 12 + 16 + 12


@pytest.fixture(scope="module")
def floor_blob():
    return password.lock(SECRET, PASSWORD, PASSWORD_FLOOR)


@pytest.fixture
def no_argon2(monkeypatch):
    """Fail the test if Argon2id is ever run: refusals must come before deriving."""

    def refuse(*args, **kwargs):
        raise AssertionError("Argon2id was run")

    monkeypatch.setattr(kdf, "Argon2id", refuse)


@pytest.fixture
def counted_derive(monkeypatch):
    """The real derive(), memoised on its inputs; the list records every call.

    Argon2id at the floor costs about 0.2 s, so running it for each of the ~150
    single-byte flips would take half a minute. derive() is a pure function of
    (password, salt, params, floor), so memoising it changes no outcome: a flip of the
    nonce, ciphertext or tag reuses the genuine key and must still fail AES-GCM, while
    a flip of the salt or of the parameters gives new inputs and runs Argon2id for real.
    """
    calls = []
    real = functools.lru_cache(maxsize=None)(kdf.derive)

    def derive(secret, salt, params, floor):
        calls.append(params)
        return real(bytes(secret), bytes(salt), params, floor)

    monkeypatch.setattr(password, "derive", derive)
    return calls


@settings(max_examples=3, deadline=None)
@given(secret=st.binary(max_size=256), pw=st.text(min_size=1, max_size=40))
def test_it_round_trips_lock_and_unlock(secret, pw):
    assert password.unlock(password.lock(secret, pw), pw) == secret


def test_it_writes_header_params_salt_nonce_and_ciphertext(floor_blob):
    assert floor_blob[:5] == b"AML\x01\x01"
    assert (
        floor_blob[5:17] == PASSWORD_FLOOR.to_bytes() == bytes.fromhex("000100000000000300000001")
    )
    assert len(floor_blob) == PREFIX + len(SECRET) + 16
    assert password.params_of(floor_blob) == PASSWORD_FLOOR


def test_it_locks_with_the_default_parameters_and_a_fresh_salt():
    a = password.lock(b"k", PASSWORD)
    b = password.lock(b"k", PASSWORD)
    assert password.params_of(a) == PASSWORD_DEFAULT
    assert PASSWORD_DEFAULT.at_least(PASSWORD_FLOOR)
    assert a[17:33] != b[17:33]


def test_it_unlocks_the_same_typed_text_in_either_unicode_form(floor_blob):
    composed = "Gülnar-\u00e9"
    decomposed = "Gu\u0308lnar-e\u0301"
    blob = password.lock(SECRET, composed, PASSWORD_FLOOR)
    assert password.unlock(blob, decomposed) == SECRET


def test_it_rejects_a_wrong_password(floor_blob):
    with pytest.raises(DecryptionError):
        password.unlock(floor_blob, PASSWORD + " ")


def test_it_rejects_every_single_byte_flip(floor_blob, counted_derive):
    assert password.unlock(floor_blob, PASSWORD) == SECRET
    for position, mask, altered in flips(floor_blob, (0x01,)):
        before = len(counted_derive)
        with pytest.raises(CryptoError) as caught:
            password.unlock(altered, PASSWORD)
            pytest.fail(f"flip {mask:#x} at {position} was accepted")
        if position < 5:
            # The header is checked before any key is derived.
            assert isinstance(caught.value, FormatError)
            assert len(counted_derive) == before
        elif position < 17:
            # Parameters: lowered ones are refused, absurd ones are out of range, and
            # the rest derive another key that does not open the blob.
            assert isinstance(caught.value, (WeakParametersError, FormatError, DecryptionError))
        else:
            assert isinstance(caught.value, DecryptionError)


def test_it_rejects_every_truncation_and_appended_bytes(floor_blob, counted_derive):
    for length in range(len(floor_blob)):
        before = len(counted_derive)
        with pytest.raises((DecryptionError, FormatError)):
            password.unlock(floor_blob[:length], PASSWORD)
        if length < PREFIX + 16:
            # Too short to hold a tag: refused before any key is derived.
            assert len(counted_derive) == before
    for extra in (b"\x00", os.urandom(16)):
        with pytest.raises(DecryptionError):
            password.unlock(floor_blob + extra, PASSWORD)


@pytest.mark.parametrize(
    "params",
    [
        Argon2Params(memory_kib=64 * 1024 - 1, iterations=3, lanes=1),
        Argon2Params(memory_kib=8 * 1024, iterations=1, lanes=1),
        Argon2Params(memory_kib=64 * 1024, iterations=2, lanes=4),
        Argon2Params(memory_kib=1024 * 1024, iterations=1, lanes=4),
    ],
)
def test_it_refuses_to_lock_below_the_floor(params, no_argon2):
    with pytest.raises(WeakParametersError):
        password.lock(SECRET, PASSWORD, params)


@pytest.mark.parametrize(
    "params",
    [
        Argon2Params(memory_kib=64 * 1024 - 1, iterations=3, lanes=1),
        Argon2Params(memory_kib=8 * 1024, iterations=1, lanes=1),
        Argon2Params(memory_kib=64 * 1024, iterations=2, lanes=1),
        Argon2Params(memory_kib=0, iterations=0, lanes=0),
    ],
)
def test_it_refuses_to_unlock_a_blob_whose_parameters_were_lowered(floor_blob, params, no_argon2):
    lowered = floor_blob[:5] + params.to_bytes() + floor_blob[17:]
    assert password.params_of(lowered) == params
    with pytest.raises(WeakParametersError):
        password.unlock(lowered, PASSWORD)


@pytest.mark.parametrize(
    "params",
    [
        Argon2Params(memory_kib=8 * 1024 * 1024, iterations=3, lanes=1),
        Argon2Params(memory_kib=64 * 1024, iterations=1000, lanes=1),
        Argon2Params(memory_kib=64 * 1024, iterations=3, lanes=0),
        Argon2Params(memory_kib=64 * 1024, iterations=3, lanes=255),
    ],
)
def test_it_refuses_out_of_range_parameters_without_deriving(floor_blob, params, no_argon2):
    raised = floor_blob[:5] + params.to_bytes() + floor_blob[17:]
    with pytest.raises(FormatError):
        password.unlock(raised, PASSWORD)
    with pytest.raises(FormatError):
        password.lock(SECRET, PASSWORD, params)


def test_it_refuses_other_kinds_of_object(floor_blob, no_argon2):
    for kind in (b"S", b"W", b"F", b"P", b"K"):
        with pytest.raises(FormatError):
            password.unlock(floor_blob[:2] + kind + floor_blob[3:], PASSWORD)
        with pytest.raises(FormatError):
            password.params_of(floor_blob[:2] + kind + floor_blob[3:])


def test_it_keeps_password_and_secret_out_of_error_messages(floor_blob):
    altered = floor_blob[:-1] + bytes([floor_blob[-1] ^ 1])
    lowered = floor_blob[:5] + Argon2Params(8 * 1024, 1, 1).to_bytes() + floor_blob[17:]
    for attempt in (
        lambda: password.unlock(altered, PASSWORD),
        lambda: password.unlock(floor_blob, "wrong " + PASSWORD),
        lambda: password.unlock(lowered, PASSWORD),
        lambda: password.lock(SECRET, PASSWORD, Argon2Params(1024, 1, 1)),
    ):
        with pytest.raises(CryptoError) as caught:
            attempt()
        message = str(caught.value)
        assert PASSWORD not in message
        assert SECRET.hex() not in message and repr(SECRET) not in message
        assert caught.value.__cause__ is None


def test_it_runs_multi_lane_derivations_from_two_threads():
    """Two sign-ins at once in a threaded server: both derivations must finish."""
    params = Argon2Params(memory_kib=8 * 1024, iterations=1, lanes=4)
    done: list[bytes] = []

    def derive() -> None:
        done.append(kdf.derive(b"password", os.urandom(16), params, params))

    threads = [threading.Thread(target=derive, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(done) == 2
