"""Streaming file encryption in segments, with constant memory.

Layout: header (5) | segment size (4) | salt (16) | nonce prefix (7) | segments...
Each segment is AES-256-GCM under a per-stream key derived with HKDF-SHA256 from
the caller's key and the salt. Its nonce is the prefix, a 32-bit segment counter
and a last-segment flag; the stream header and the caller's associated data are
authenticated with every segment. So a dropped, repeated, reordered or altered
segment fails its tag, and a stream cut at a segment boundary is caught because
its final segment never carries the last flag.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import header
from .errors import FormatError, StreamError

_ALG = header.ALG_HKDFSHA256_AES256GCM_SEGMENTS
DEFAULT_SEGMENT = 64 * 1024
MIN_SEGMENT = 4 * 1024
MAX_SEGMENT = 16 * 1024 * 1024
_SALT = 16
_PREFIX = 7
HEADER_SIZE = header.SIZE + 4 + _SALT + _PREFIX
TAG = 16
_MAX_SEGMENTS = 2**32


def _segment_cipher(key: bytes, stream_header: bytes) -> AESGCM:
    if len(key) != 32:
        raise ValueError("a stream key must be 32 bytes")
    salt = stream_header[header.SIZE + 4 : header.SIZE + 4 + _SALT]
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"amanat/stream/v1"
    ).derive(key)
    return AESGCM(derived)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= _MAX_SEGMENTS:
        raise StreamError("stream has too many segments")
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class Reader(Protocol):
    """What a source must do (a file, a pipe, an upload): short reads are fine."""

    def read(self, size: int = -1, /) -> bytes: ...


class Writer(Protocol):
    def write(self, data: bytes, /) -> int | None: ...


class RewindableWriter(Writer, Protocol):
    """A destination that decrypt_stream can cut back when a later segment fails."""

    def seekable(self) -> bool: ...
    def tell(self) -> int: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def truncate(self, size: int | None = None, /) -> int: ...


def _read_exact(src: Reader, n: int) -> bytes:
    """Read n bytes, or fewer only at end of input (src.read may return short)."""
    data = src.read(n)
    if len(data) == n or not data:
        return data
    parts = [data]
    got = len(data)
    while got < n:
        more = src.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


class StreamEncryptor:
    """Incremental encryption: feed plaintext with update(), end with finalize().

    Holds at most one segment of plaintext, whatever the stream's length.
    """

    def __init__(self, key: bytes, aad: bytes, segment_size: int = DEFAULT_SEGMENT) -> None:
        if not MIN_SEGMENT <= segment_size <= MAX_SEGMENT:
            raise ValueError("segment size out of range")
        self.segment_size = segment_size
        self.header = (
            header.make(header.STREAM, _ALG)
            + segment_size.to_bytes(4, "big")
            + os.urandom(_SALT)
            + os.urandom(_PREFIX)
        )
        self._cipher = _segment_cipher(key, self.header)
        self._prefix = self.header[-_PREFIX:]
        self._aad = self.header + aad
        self._counter = 0
        self._buffer = bytearray()
        self._header_sent = False
        self._finished = False

    def seal_segment(self, plaintext: bytes, last: bool) -> bytes:
        if self._finished:
            raise StreamError("stream already finalised")
        nonce = _nonce(self._prefix, self._counter, last)
        self._counter += 1
        self._finished = last
        return self._cipher.encrypt(nonce, plaintext, self._aad)

    def _take_header(self) -> bytes:
        if self._header_sent:
            return b""
        self._header_sent = True
        return self.header

    def update(self, data: bytes) -> bytes:
        if self._finished:
            # Otherwise the data would be buffered and silently never encrypted.
            raise StreamError("stream already finalised")
        out = [self._take_header()]
        self._buffer += data
        size = self.segment_size
        # Keep the final (possibly full) segment back: only finalize() knows it is last.
        while len(self._buffer) > size:
            out.append(self.seal_segment(bytes(self._buffer[:size]), last=False))
            del self._buffer[:size]
        return b"".join(out)

    def finalize(self) -> bytes:
        out = self._take_header() + self.seal_segment(bytes(self._buffer), last=True)
        self._buffer.clear()
        return out


class StreamDecryptor:
    """Incremental decryption: each update() returns only authenticated plaintext.

    finalize() raises StreamError if the stream ended early. Plaintext already
    returned was authenticated segment by segment, but the caller must discard it
    when finalize() raises.
    """

    def __init__(self, key: bytes, aad: bytes) -> None:
        self._key = key
        self._aad_tail = aad
        self._buffer = bytearray()
        self._cipher: AESGCM | None = None
        self._counter = 0
        self._done = False

    def _start(self) -> None:
        head = bytes(self._buffer[:HEADER_SIZE])
        header.check(head, header.STREAM, _ALG)
        size = int.from_bytes(head[header.SIZE : header.SIZE + 4], "big")
        if not MIN_SEGMENT <= size <= MAX_SEGMENT:
            raise FormatError("stream segment size out of range")
        self._segment = size + TAG
        self._cipher = _segment_cipher(self._key, head)
        self._prefix = head[-_PREFIX:]
        self._aad = head + self._aad_tail
        del self._buffer[:HEADER_SIZE]

    def _open(self, segment: bytes, last: bool) -> bytes:
        assert self._cipher is not None
        nonce = _nonce(self._prefix, self._counter, last)
        try:
            plaintext = self._cipher.decrypt(nonce, segment, self._aad)
        except InvalidTag:
            if last and len(segment) == self._segment:
                try:
                    self._cipher.decrypt(
                        _nonce(self._prefix, self._counter, False), segment, self._aad
                    )
                except InvalidTag:
                    pass
                else:
                    raise StreamError("stream is truncated: its final segment is missing") from None
            raise StreamError(
                f"segment {self._counter} failed authentication "
                "(wrong key, altered, reordered, repeated or missing segment)"
            ) from None
        self._counter += 1
        return plaintext

    def update(self, data: bytes) -> bytes:
        if self._done:
            if data:
                raise StreamError("data after the end of the stream")
            return b""
        self._buffer += data
        if self._cipher is None:
            if len(self._buffer) < HEADER_SIZE:
                return b""
            self._start()
        out = []
        while len(self._buffer) > self._segment:
            out.append(self._open(bytes(self._buffer[: self._segment]), last=False))
            del self._buffer[: self._segment]
        return b"".join(out)

    def finalize(self) -> bytes:
        if self._cipher is None:
            raise StreamError("stream is truncated: header incomplete")
        if len(self._buffer) < TAG:
            raise StreamError("stream is truncated: final segment incomplete")
        out = self._open(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._done = True
        return out


def encrypt_stream(
    key: bytes, src: Reader, dst: Writer, aad: bytes, segment_size: int = DEFAULT_SEGMENT
) -> int:
    """Encrypt src into dst; returns the plaintext length. Memory stays at one segment."""
    enc = StreamEncryptor(key, aad, segment_size)
    dst.write(enc.header)
    enc._header_sent = True
    total = 0
    current = _read_exact(src, segment_size)
    while True:
        following = _read_exact(src, segment_size)
        total += len(current)
        dst.write(enc.seal_segment(current, last=not following))
        if not following:
            return total
        current = following


def iter_decrypt(key: bytes, src: Reader, aad: bytes) -> Iterator[bytes]:
    """Yield authenticated plaintext segment by segment; raises StreamError at the
    point of any failure, including a missing end (after the last good segment)."""
    dec = StreamDecryptor(key, aad)
    dec._buffer += _read_exact(src, HEADER_SIZE)
    if len(dec._buffer) < HEADER_SIZE:
        raise StreamError("stream is truncated: header incomplete")
    dec._start()
    segment = dec._segment
    current = _read_exact(src, segment)
    while True:
        following = _read_exact(src, segment)
        if not following:
            if len(current) < TAG:
                raise StreamError("stream is truncated: final segment incomplete")
            yield dec._open(current, last=True)
            return
        if len(current) != segment:
            raise StreamError("stream segment has the wrong length")
        yield dec._open(current, last=False)
        current = following


def decrypt_stream(key: bytes, src: Reader, dst: RewindableWriter, aad: bytes) -> int:
    """Decrypt src into dst; returns the plaintext length.

    On failure, dst is emptied when it can be (seekable and truncatable) so that no
    partial plaintext is left behind, and StreamError or FormatError is raised.
    """
    start = dst.tell() if dst.seekable() else None
    total = 0
    try:
        for chunk in iter_decrypt(key, src, aad):
            dst.write(chunk)
            total += len(chunk)
    except Exception:
        if start is not None:
            dst.seek(start)
            dst.truncate()
        raise
    return total
