"""Tests of the crypto package. Pure Python: no Django, no database."""

from collections.abc import Iterator


def flips(data: bytes, masks: tuple[int, ...] = (0x01, 0x80)) -> Iterator[tuple[int, int, bytes]]:
    """Every single-byte alteration of data: (position, mask, altered bytes)."""
    for position in range(len(data)):
        for mask in masks:
            altered = bytearray(data)
            altered[position] ^= mask
            yield position, mask, bytes(altered)
