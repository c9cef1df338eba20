import io
import itertools
import random
import tracemalloc

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crypto import stream
from crypto.aead import associated_data
from crypto.errors import CryptoError, FormatError, StreamError
from crypto.tests import flips

KEY = bytes(range(32, 64))
AAD = associated_data("attachment", 9, "content", 1)
SEG = 4096  # the smallest segment size, so that multi-segment streams stay small
SEALED_SEG = SEG + 16
HEAD = stream.HEADER_SIZE  # 5 + 4 + 16 + 7 = 32


def data(length: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(length)


def encrypt(plaintext: bytes, aad: bytes = AAD, segment_size: int = SEG) -> bytes:
    dst = io.BytesIO()
    assert stream.encrypt_stream(KEY, io.BytesIO(plaintext), dst, aad, segment_size) == len(
        plaintext
    )
    return dst.getvalue()


def decrypt(ciphertext: bytes, aad: bytes = AAD, key: bytes = KEY) -> bytes:
    dst = io.BytesIO()
    total = stream.decrypt_stream(key, io.BytesIO(ciphertext), dst, aad)
    assert total == len(dst.getvalue())
    return dst.getvalue()


def split(ciphertext: bytes, segment: int = SEALED_SEG) -> tuple[bytes, list[bytes]]:
    body = ciphertext[HEAD:]
    return ciphertext[:HEAD], [body[i : i + segment] for i in range(0, len(body), segment)]


def pieces(blob: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted(cuts), len(blob)]
    return [blob[a:b] for a, b in itertools.pairwise(bounds)]


PLAINTEXT = data(2 * SEG + 100, seed=1)
CIPHERTEXT = encrypt(PLAINTEXT)
PLAIN_SEGMENTS = [PLAINTEXT[i : i + SEG] for i in range(0, len(PLAINTEXT), SEG)]


def assert_rejected(ciphertext: bytes, key: bytes = KEY, aad: bytes = AAD) -> CryptoError:
    """Every way of decrypting refuses the stream and releases no unauthentic plaintext."""
    # decrypt_stream raises and leaves the destination as it found it (empty).
    dst = io.BytesIO()
    with pytest.raises((StreamError, FormatError)) as caught:
        stream.decrypt_stream(key, io.BytesIO(ciphertext), dst, aad)
    assert dst.getvalue() == b""

    # iter_decrypt raises, and yields only genuine segments, in their places, before it does.
    yielded = []
    with pytest.raises((StreamError, FormatError)):
        for chunk in stream.iter_decrypt(key, io.BytesIO(ciphertext), aad):
            yielded.append(chunk)
    assert yielded == PLAIN_SEGMENTS[: len(yielded)]

    # The incremental decryptor raises in update() or finalize(), having returned a
    # prefix of the genuine plaintext made of whole segments.
    dec = stream.StreamDecryptor(key, aad)
    released = bytearray()
    with pytest.raises((StreamError, FormatError)):
        for piece in pieces(ciphertext, list(range(1000, len(ciphertext), 1000))):
            released += dec.update(piece)
        released += dec.finalize()
    assert bytes(released) == PLAINTEXT[: len(released)]
    assert len(released) % SEG == 0
    return caught.value


@settings(deadline=None)
@given(length=st.integers(0, 6 * SEG), seed=st.integers(0, 2**32))
@example(length=0, seed=0)
@example(length=1, seed=0)
@example(length=SEG - 1, seed=0)
@example(length=SEG, seed=0)
@example(length=SEG + 1, seed=0)
@example(length=2 * SEG, seed=0)
@example(length=3 * SEG, seed=0)
def test_it_round_trips_streams_of_any_length(length, seed):
    plaintext = data(length, seed)
    ciphertext = encrypt(plaintext)
    segments = max(1, -(-length // SEG))
    assert len(ciphertext) == HEAD + length + 16 * segments
    assert decrypt(ciphertext) == plaintext
    assert b"".join(stream.iter_decrypt(KEY, io.BytesIO(ciphertext), AAD)) == plaintext


lengths = st.one_of(
    st.sampled_from([0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG, 3 * SEG]), st.integers(0, 5 * SEG)
)


@settings(deadline=None)
@given(length=lengths, seed=st.integers(0, 2**32), data_=st.data())
def test_it_encrypts_incrementally_with_any_update_split(length, seed, data_):
    plaintext = data(length, seed)
    cuts = data_.draw(st.lists(st.integers(0, length), max_size=8))
    enc = stream.StreamEncryptor(KEY, AAD, SEG)
    ciphertext = b"".join(enc.update(p) for p in pieces(plaintext, cuts)) + enc.finalize()
    assert ciphertext[:HEAD] == enc.header
    assert len(ciphertext) == HEAD + length + 16 * max(1, -(-length // SEG))
    assert decrypt(ciphertext) == plaintext


@settings(deadline=None)
@given(length=lengths, seed=st.integers(0, 2**32), data_=st.data())
def test_it_decrypts_incrementally_with_any_update_split(length, seed, data_):
    plaintext = data(length, seed)
    ciphertext = encrypt(plaintext)
    cuts = data_.draw(st.lists(st.integers(0, len(ciphertext)), max_size=8))
    dec = stream.StreamDecryptor(KEY, AAD)
    out = b"".join(dec.update(p) for p in pieces(ciphertext, cuts)) + dec.finalize()
    assert out == plaintext


class Trickle(io.RawIOBase):
    """A source that returns at most `step` bytes a read, as pipes and sockets may."""

    def __init__(self, blob: bytes, step: int) -> None:
        self._src = io.BytesIO(blob)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        return self._src.read(min(n, self._step) if n >= 0 else self._step)


def test_it_copes_with_sources_that_return_short_reads():
    plaintext = data(3 * SEG + 5)
    dst = io.BytesIO()
    stream.encrypt_stream(KEY, Trickle(plaintext, 1000), dst, AAD, SEG)
    ciphertext = dst.getvalue()
    assert decrypt(ciphertext) == plaintext
    assert b"".join(stream.iter_decrypt(KEY, Trickle(ciphertext, 333), AAD)) == plaintext


def test_it_writes_the_documented_header_and_segments():
    head, segments = split(CIPHERTEXT)
    assert head[:5] == b"AMF\x01\x01"
    assert head[5:9] == SEG.to_bytes(4, "big")
    salt, prefix = head[9:25], head[25:32]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"amanat/stream/v1").derive(
        KEY
    )
    opened = []
    for counter, segment in enumerate(segments):
        last = counter == len(segments) - 1
        nonce = prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
        opened.append(AESGCM(key).decrypt(nonce, segment, head + AAD))
    assert opened == PLAIN_SEGMENTS


def test_it_starts_every_stream_with_a_fresh_salt_and_nonce_prefix():
    heads = {encrypt(b"same")[9:32] for _ in range(50)}
    assert len(heads) == 50


def test_it_rejects_every_single_byte_flip():
    for _, _, altered in flips(CIPHERTEXT, (0x01,)):
        assert_rejected(altered)
    for _, _, altered in flips(CIPHERTEXT[:HEAD], (0x80, 0xFF)):
        assert_rejected(altered + CIPHERTEXT[HEAD:])


def test_it_rejects_a_dropped_segment():
    head, segs = split(CIPHERTEXT)
    for i in range(len(segs)):
        assert_rejected(head + b"".join(segs[:i] + segs[i + 1 :]))


def test_it_rejects_a_repeated_segment():
    head, segs = split(CIPHERTEXT)
    for i in range(len(segs)):
        assert_rejected(head + b"".join([*segs[: i + 1], segs[i], *segs[i + 1 :]]))


def test_it_rejects_reordered_segments():
    head, segs = split(CIPHERTEXT)
    assert_rejected(head + segs[1] + segs[0] + segs[2])
    assert_rejected(head + segs[0] + segs[2] + segs[1])
    assert_rejected(head + segs[2] + segs[1] + segs[0])


def test_it_rejects_segments_spliced_from_another_stream():
    other = encrypt(PLAINTEXT)
    head, segs = split(CIPHERTEXT)
    other_head, other_segs = split(other)
    assert_rejected(head + other_segs[0] + segs[1] + segs[2])
    assert_rejected(other_head + b"".join(segs))


def test_it_rejects_a_stream_cut_at_a_segment_boundary():
    head, segs = split(CIPHERTEXT)
    for keep in range(len(segs)):
        error = assert_rejected(head + b"".join(segs[:keep]))
        assert "truncated" in str(error)


def test_it_rejects_a_stream_of_whole_segments_cut_at_a_boundary():
    plaintext = data(3 * SEG)
    head, segs = split(encrypt(plaintext))
    assert len(segs) == 3 and all(len(s) == SEALED_SEG for s in segs)
    for keep in (1, 2):
        with pytest.raises(StreamError, match="truncated"):
            decrypt(head + b"".join(segs[:keep]))


def test_it_rejects_every_truncation_including_inside_the_header():
    for length in range(len(CIPHERTEXT)):
        assert_rejected(CIPHERTEXT[:length])


def test_it_rejects_trailing_bytes():
    _, segs = split(CIPHERTEXT)
    for extra in (b"\x00", bytes(16), bytes(SEALED_SEG), segs[-1], segs[0], CIPHERTEXT):
        assert_rejected(CIPHERTEXT + extra)
    whole = encrypt(data(2 * SEG))
    for extra in (b"\x00", bytes(SEALED_SEG + 1)):
        with pytest.raises(StreamError):
            decrypt(whole + extra)


def test_it_rejects_data_fed_after_the_end():
    dec = stream.StreamDecryptor(KEY, AAD)
    assert dec.update(CIPHERTEXT) + dec.finalize() == PLAINTEXT
    assert dec.update(b"") == b""
    with pytest.raises(StreamError):
        dec.update(b"\x00")


def test_it_rejects_the_wrong_key_or_associated_data():
    assert_rejected(CIPHERTEXT, key=bytes(32))
    assert_rejected(CIPHERTEXT, aad=associated_data("attachment", 10, "content", 1))


def test_it_rejects_other_kinds_of_object():
    for kind in (b"S", b"W", b"L", b"P", b"K"):
        with pytest.raises(FormatError):
            decrypt(CIPHERTEXT[:2] + kind + CIPHERTEXT[3:])


@pytest.mark.parametrize("size", [0, 1, stream.MIN_SEGMENT - 1, stream.MAX_SEGMENT + 1, 2**32 - 1])
def test_it_rejects_a_header_with_a_segment_size_out_of_range(size):
    altered = CIPHERTEXT[:5] + size.to_bytes(4, "big") + CIPHERTEXT[9:]
    with pytest.raises(FormatError):
        decrypt(altered)
    assert_rejected(altered)


def test_it_keeps_what_the_destination_held_before_a_failed_decryption():
    dst = io.BytesIO()
    dst.write(b"kept")
    with pytest.raises(StreamError):
        stream.decrypt_stream(KEY, io.BytesIO(CIPHERTEXT[:-1]), dst, AAD)
    assert dst.getvalue() == b"kept"


@pytest.mark.parametrize("size", [0, stream.MIN_SEGMENT - 1, stream.MAX_SEGMENT + 1])
def test_it_refuses_segment_sizes_out_of_range(size):
    with pytest.raises(ValueError):
        stream.StreamEncryptor(KEY, AAD, size)
    with pytest.raises(ValueError):
        stream.encrypt_stream(KEY, io.BytesIO(b"x"), io.BytesIO(), AAD, size)


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_it_refuses_keys_that_are_not_32_bytes(size):
    with pytest.raises(ValueError):
        stream.StreamEncryptor(bytes(size), AAD, SEG)


def test_it_refuses_to_seal_after_the_last_segment():
    enc = stream.StreamEncryptor(KEY, AAD, SEG)
    enc.update(b"abc")
    enc.finalize()
    with pytest.raises(StreamError):
        enc.finalize()


def test_it_refuses_data_fed_to_the_encryptor_after_finalize():
    enc = stream.StreamEncryptor(KEY, AAD, SEG)
    ciphertext = enc.update(b"abc") + enc.finalize()
    # Accepting it would drop it silently: it could never be encrypted.
    with pytest.raises(StreamError):
        enc.update(b"more")
    assert decrypt(ciphertext) == b"abc"


def test_it_refuses_a_segment_counter_beyond_32_bits():
    assert stream._nonce(bytes(7), 2**32 - 1, True) == bytes(7) + b"\xff" * 4 + b"\x01"
    with pytest.raises(StreamError):
        stream._nonce(bytes(7), 2**32, False)


class Source(io.RawIOBase):
    """`total` bytes made of slices of one buffer, never holding more than a read."""

    def __init__(self, buffer: bytes, total: int) -> None:
        self._buffer = buffer
        self._left = total
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = min(n, self._left, len(self._buffer) - self._pos)
        out = self._buffer[self._pos : self._pos + n]
        self._pos = (self._pos + n) % len(self._buffer)
        self._left -= n
        return out


class Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.written += len(b)
        return len(b)


def test_it_encrypts_and_decrypts_in_constant_memory():
    total = 32 * 1024 * 1024
    buffer = data(1024 * 1024)
    held = io.BytesIO()
    stream.encrypt_stream(KEY, Source(buffer, total), held, AAD)
    source = io.BytesIO(held.getvalue())  # allocated before tracing: not counted
    tracemalloc.start()
    try:
        sink = Sink()
        assert stream.encrypt_stream(KEY, Source(buffer, total), sink, AAD) == total
        _, encrypt_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        decrypted = 0
        for chunk in stream.iter_decrypt(KEY, source, AAD):
            decrypted += len(chunk)
        _, decrypt_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.written == HEAD + total + 16 * (total // stream.DEFAULT_SEGMENT)
    assert decrypted == total
    # A few 64 KiB segments at most, for a 32 MiB stream.
    assert encrypt_peak < 512 * 1024
    assert decrypt_peak < 512 * 1024
