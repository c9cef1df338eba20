"""Throughput and cost of Amanat's crypto package against raw AES-GCM.

Run from the checkout:  .venv/bin/python bench/crypto.py  (prints figures; not a test).

Targets: seal/open of 1 MiB records at >= 0.9 of raw AES-GCM; streaming encryption of
1 GiB at >= 0.7 of raw AES-GCM over the same 64 KiB chunks, with memory growth under
64 MiB. The machine is shared and noisy, so baseline and subject are interleaved round
by round and each ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import io
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# This file is bench/crypto.py: with its own folder first on sys.path, `import crypto`
# would import this file. Put the checkout there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import cryptography  # noqa: E402
from cryptography.hazmat.backends.openssl.backend import backend  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: E402

from crypto import aead, kdf, keys, password, stream  # noqa: E402

MiB = 1024 * 1024
GiB = 1024 * MiB
CHUNK = stream.DEFAULT_SEGMENT

SEAL_TARGET = 0.9
STREAM_TARGET = 0.7
MEMORY_LIMIT = 64 * MiB


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def machine() -> None:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}")
    print(
        f"python {platform.python_version()}, cryptography {cryptography.__version__}, "
        f"{backend.openssl_version_text()}"
    )
    print()


class Source(io.RawIOBase):
    """`total` bytes made of slices of one 1 MiB random buffer; never holds more."""

    def __init__(self, buffer: bytes, total: int) -> None:
        self._buffer = buffer
        self._left = total
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n < 0:
            n = self._left
        n = min(n, self._left, len(self._buffer) - self._pos)
        out = self._buffer[self._pos : self._pos + n]
        self._pos = (self._pos + n) % len(self._buffer)
        self._left -= n
        return out


class NullSink(io.RawIOBase):
    def __init__(self) -> None:
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.written += len(b)
        return len(b)


def maxrss() -> int:
    """Peak resident set size of this process so far, in bytes (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def interleaved(pairs: dict[str, tuple], rounds: int) -> dict[str, list[float]]:
    """Run each function `rounds` times, alternating the order every round.

    pairs maps a name to (function, repetitions); returns seconds per repetition.
    """
    names = list(pairs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            fn, reps = pairs[name]
            start = time.perf_counter()
            for _ in range(reps):
                fn()
            times[name].append((time.perf_counter() - start) / reps)
    return times


def ratios(baseline: list[float], subject: list[float]) -> list[float]:
    """Per-round throughput ratio subject/baseline (time baseline / time subject)."""
    return [b / s for b, s in zip(baseline, subject, strict=True)]


def bench_stream(buffer: bytes) -> list[bool]:
    print("== streaming, 1 GiB in 64 KiB segments (source: slices of a 1 MiB buffer) ==")
    key = aead.new_key()
    aad = aead.associated_data("attachment", 1, "content", 1)
    raw_cipher = AESGCM(key)
    prefix = os.urandom(7)

    def raw_encrypt() -> None:
        src, sink = Source(buffer, GiB), NullSink()
        counter = 0
        while chunk := src.read(CHUNK):
            nonce = prefix + counter.to_bytes(4, "big") + b"\x00"
            sink.write(raw_cipher.encrypt(nonce, chunk, aad))
            counter += 1

    def subject_encrypt() -> None:
        sink = NullSink()
        stream.encrypt_stream(key, Source(buffer, GiB), sink, aad)
        assert sink.written == stream.HEADER_SIZE + GiB + 16 * (GiB // CHUNK)

    # Memory first, before anything else has raised the high-water mark: one pass
    # under ru_maxrss, one under tracemalloc (which slows allocation, so it is untimed).
    rss_before = maxrss()
    subject_encrypt()
    rss_growth = maxrss() - rss_before
    tracemalloc.start()
    subject_encrypt()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    times = interleaved({"raw": (raw_encrypt, 1), "amanat": (subject_encrypt, 1)}, rounds=7)
    mbps_raw = [GiB / MiB / t for t in times["raw"]]
    mbps_sub = [GiB / MiB / t for t in times["amanat"]]
    ratio = statistics.median(ratios(times["raw"], times["amanat"]))
    print(
        f"encrypt  raw AES-GCM {statistics.median(mbps_raw):7.0f} MiB/s (best {max(mbps_raw):.0f})"
        f" | encrypt_stream {statistics.median(mbps_sub):7.0f} MiB/s (best {max(mbps_sub):.0f})"
    )
    ok_ratio = ratio >= STREAM_TARGET
    print(f"encrypt  ratio {ratio:.3f} (target >= {STREAM_TARGET})  {verdict(ok_ratio)}")
    ok_memory = max(rss_growth, traced_peak) < MEMORY_LIMIT
    print(
        f"encrypt  memory growth over 1 GiB: ru_maxrss +{rss_growth / MiB:.2f} MiB, "
        f"tracemalloc peak {traced_peak / MiB:.2f} MiB "
        f"(limit {MEMORY_LIMIT // MiB} MiB)  {verdict(ok_memory)}"
    )

    # Decryption reads a real 1 GiB stream from a temporary file (in the page cache after
    # it is written). The baseline decrypts the same segments with AESGCM directly, under
    # the stream's derived key and nonces, so both read the same bytes.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.bin"
        with path.open("wb") as f:
            stream.encrypt_stream(key, Source(buffer, GiB), f, aad)
        with path.open("rb") as r:
            head = r.read(stream.HEADER_SIZE)
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=head[9:25], info=b"amanat/stream/v1"
        ).derive(key)
        seg_cipher = AESGCM(derived)
        seg_prefix = head[25:32]
        seg_aad = head + aad
        count = GiB // CHUNK

        def raw_decrypt() -> None:
            sink = NullSink()
            with path.open("rb", buffering=0) as f:
                f.read(stream.HEADER_SIZE)
                for counter in range(count):
                    nonce = seg_prefix + counter.to_bytes(4, "big")
                    nonce += b"\x01" if counter == count - 1 else b"\x00"
                    sink.write(seg_cipher.decrypt(nonce, f.read(CHUNK + 16), seg_aad))
            assert sink.written == GiB

        def subject_decrypt() -> None:
            sink = NullSink()
            with path.open("rb", buffering=0) as f:
                assert stream.decrypt_stream(key, f, sink, aad) == GiB

        rss_before = maxrss()
        subject_decrypt()
        rss_growth_dec = maxrss() - rss_before
        times = interleaved({"raw": (raw_decrypt, 1), "amanat": (subject_decrypt, 1)}, rounds=7)
    mbps_raw = [GiB / MiB / t for t in times["raw"]]
    mbps_sub = [GiB / MiB / t for t in times["amanat"]]
    ratio_dec = statistics.median(ratios(times["raw"], times["amanat"]))
    print(
        f"decrypt  raw AES-GCM {statistics.median(mbps_raw):7.0f} MiB/s (best {max(mbps_raw):.0f})"
        f" | decrypt_stream {statistics.median(mbps_sub):7.0f} MiB/s (best {max(mbps_sub):.0f})"
        f" | ratio {ratio_dec:.3f} (from a 1 GiB file in the page cache)"
    )
    print(f"decrypt  memory growth over 1 GiB: ru_maxrss +{rss_growth_dec / MiB:.2f} MiB")
    print()
    return [ok_ratio, ok_memory]


def bench_seal(buffer: bytes) -> list[bool]:
    print("== seal / open, 1 MiB records ==")
    key = aead.new_key()
    aad = aead.associated_data("intake_report", 12345, "content", 1)
    raw_cipher = AESGCM(key)  # built once: the baseline does no per-record key setup
    raw_sealed = (nonce := os.urandom(12), raw_cipher.encrypt(nonce, buffer, aad))
    sealed = aead.seal(key, buffer, aad)
    assert aead.open_(key, sealed, aad) == buffer

    times = interleaved(
        {
            "raw encrypt": (lambda: raw_cipher.encrypt(os.urandom(12), buffer, aad), 20),
            "seal": (lambda: aead.seal(key, buffer, aad), 20),
        },
        rounds=25,
    )
    times.update(
        interleaved(
            {
                "raw decrypt": (lambda: raw_cipher.decrypt(*raw_sealed, aad), 20),
                "open": (lambda: aead.open_(key, sealed, aad), 20),
            },
            rounds=25,
        )
    )
    for name, t in times.items():
        mbps = [1 / x for x in t]  # MiB per second, for 1 MiB records
        print(f"{name:12s} {statistics.median(mbps):7.0f} MiB/s median (best {max(mbps):.0f})")
    seal_ratio = statistics.median(ratios(times["raw encrypt"], times["seal"]))
    open_ratio = statistics.median(ratios(times["raw decrypt"], times["open"]))
    ok_seal = seal_ratio >= SEAL_TARGET
    ok_open = open_ratio >= SEAL_TARGET
    print(f"seal ratio {seal_ratio:.3f} (target >= {SEAL_TARGET})  {verdict(ok_seal)}")
    print(f"open ratio {open_ratio:.3f} (target >= {SEAL_TARGET})  {verdict(ok_open)}")
    print()
    return [ok_seal, ok_open]


def bench_wrap() -> None:
    print("== HPKE wrap / unwrap of a 32-byte key (ML-KEM-768 + X25519) ==")
    private = keys.PrivateKey.generate()
    public = private.public_key()
    dek = aead.new_key()
    info = b"report-dek/12345/holder/bench"
    wrapped = keys.wrap(dek, public, info)
    wrap_us, unwrap_us = [], []
    for _ in range(2000):
        start = time.perf_counter_ns()
        keys.wrap(dek, public, info)
        wrap_us.append((time.perf_counter_ns() - start) / 1000)
        start = time.perf_counter_ns()
        keys.unwrap(wrapped, private, info)
        unwrap_us.append((time.perf_counter_ns() - start) / 1000)
    print(f"wrap   {statistics.median(wrap_us):6.1f} us median (best {min(wrap_us):.1f})")
    print(f"unwrap {statistics.median(unwrap_us):6.1f} us median (best {min(unwrap_us):.1f})")
    print(f"wrapped size {len(wrapped)} bytes (header 5 + HPKE 1168)")
    print()


def bench_argon2() -> None:
    params = kdf.PASSWORD_DEFAULT
    print(
        f"== Argon2id unlock at default parameters ({params.memory_kib // 1024} MiB, "
        f"{params.iterations} passes, {params.lanes} lanes) =="
    )
    locked = password.lock(os.urandom(101), "a staff member's password")
    durations = []
    for _ in range(5):
        start = time.perf_counter()
        password.unlock(locked, "a staff member's password")
        durations.append(time.perf_counter() - start)
    print(
        f"unlock {statistics.median(durations) * 1000:6.0f} ms median "
        f"(best {min(durations) * 1000:.0f}, of {len(durations)})"
    )
    print()


def main() -> int:
    machine()
    buffer = os.urandom(MiB)
    results = bench_stream(buffer)
    results += bench_seal(buffer)
    bench_wrap()
    bench_argon2()
    print("overall:", verdict(all(results)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
