"""The organisation's recovery key, split into SLIP-39 shares held by trustees.

A 32-byte random secret is split with shamir-mnemonic (k of n, 33 words a share);
the recovery key pair is derived from it (keys.PrivateKey.from_seed). The secret
and the private key never stay on the server.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import shamir_mnemonic

from .errors import RecoveryError
from .keys import SEED_SIZE, PrivateKey

MAX_SHARES = 16


def new_secret() -> bytes:
    return os.urandom(SEED_SIZE)


def split(secret: bytes, threshold: int, count: int) -> list[str]:
    """Split secret into count mnemonic shares, any threshold of which rebuild it."""
    if len(secret) != SEED_SIZE:
        raise ValueError("the recovery secret must be 32 bytes")
    if not 2 <= threshold <= count <= MAX_SHARES:
        raise ValueError(f"need 2 <= threshold <= count <= {MAX_SHARES}")
    groups = shamir_mnemonic.generate_mnemonics(
        group_threshold=1, groups=[(threshold, count)], master_secret=secret
    )
    shares: list[str] = groups[0]
    return shares


def combine(shares: Iterable[str]) -> bytes:
    """Rebuild the secret from enough shares (the threshold or more) of one set."""
    cleaned = [" ".join(s.lower().split()) for s in shares if s.strip()]
    try:
        # decode_mnemonics checks every share (words, checksum) and that all come from
        # one set. combine_mnemonics would then refuse more shares than the threshold,
        # but trustees may bring more, so any threshold of them is used.
        groups = shamir_mnemonic.decode_mnemonics(cleaned)
        minimal = {index: group.get_minimal_group() for index, group in groups.items()}
        secret: bytes = shamir_mnemonic.recover_ems(minimal).decrypt(b"")
    except (shamir_mnemonic.MnemonicError, ValueError):
        # The library's message can quote share words; do not pass it on. (No word of
        # these messages is in the SLIP-39 word list.)
        raise RecoveryError(
            "these shares cannot be combined into the recovery key: too few, mistyped, "
            "or from different sets"
        ) from None
    if len(secret) != SEED_SIZE:
        raise RecoveryError("the shares combine into a key of the wrong size")
    return secret


def generate(threshold: int, count: int) -> tuple[PrivateKey, list[str]]:
    """A new recovery key pair and its shares."""
    secret = new_secret()
    return PrivateKey.from_seed(secret), split(secret, threshold, count)


def recover(shares: Iterable[str]) -> PrivateKey:
    return PrivateKey.from_seed(combine(shares))
