"""The reporter's receipt: the only thing they keep, and the only key to their report.

20 random digits (66 bits of secret entropy) and one Luhn check digit, so a typo is
caught before any lookup. Digits only, so it can be typed on any keyboard; digits
from other scripts (Arabic-Indic, full-width) are accepted and read as the same.

One Argon2id of the receipt gives a master value; from it come the reporter's key
pair, and the lookup that finds the report: an HMAC under the server's pepper. So
every guess at a receipt costs an Argon2id, checking one against the lookup also
needs the pepper, and a submission pays for one derivation only. The pepper keys
the lookup only; no key is derived from it (docs/KEYS.md). The receipt's entropy, not
the KDF's cost, carries the security: at 256 KiB and one pass (about 0.15 ms here;
1 MiB took 0.7 ms, as it no longer fits the CPU's cache) a search of 2^66 receipts
still costs about 3 x 10^8 CPU-years, and the pepper is needed to test any guess
against the stored lookups.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

import crypto
from crypto import kdf, keys

RANDOM_DIGITS = 20
LENGTH = RANDOM_DIGITS + 1
GROUP = 3
# Fixed for every receipt: the lookup is found by deriving, so there is no place to
# store per-report parameters. Changing them needs a migration of every lookup.
KDF_PARAMS = kdf.Argon2Params(memory_kib=256, iterations=1, lanes=1)
KDF_FLOOR = kdf.Argon2Params(memory_kib=256, iterations=1, lanes=1)
# Receipts are random, so no per-report salt is needed: this one names the use.
_SALT = b"amanat/receipt/1"


class MalformedReceipt(ValueError):
    """Not 21 digits, or the check digit does not match (a typo)."""


@dataclass(frozen=True)
class ReceiptKeys:
    lookup: str
    reporter: crypto.PrivateKey = field(repr=False)


def _luhn_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new() -> str:
    body = f"{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    return body + _luhn_digit(body)


def display(receipt: str) -> str:
    """Grouped for reading aloud and writing down: 482 193 775 ..."""
    return " ".join(receipt[i : i + GROUP] for i in range(0, len(receipt), GROUP))


def normalise(typed: str) -> str:
    """The receipt as 21 ASCII digits; raises MalformedReceipt otherwise.

    Spaces, dashes and other separators are ignored; any Unicode decimal digit
    counts as its value.
    """
    digits = []
    for char in typed[:200]:
        if char.isspace() or char in "-._/،":
            continue
        value = unicodedata.decimal(char, None)
        if value is None:
            raise MalformedReceipt("a receipt has digits only")
        digits.append(str(value))
    receipt = "".join(digits)
    if len(receipt) != LENGTH:
        raise MalformedReceipt("a receipt has 21 digits")
    if _luhn_digit(receipt[:-1]) != receipt[-1]:
        raise MalformedReceipt("the check digit does not match")
    return receipt


def _expand(master: bytes, info: bytes) -> bytes:
    return HKDFExpand(algorithm=hashes.SHA256(), length=32, info=info).derive(master)


def derive(receipt: str, pepper: bytes) -> ReceiptKeys:
    """The lookup (keyed with the pepper) and the reporter's key pair (not)."""
    master = kdf.derive(receipt.encode(), _SALT, KDF_PARAMS, KDF_FLOOR)
    seed = _expand(master, b"amanat/receipt/reporter-key")
    locator = _expand(master, b"amanat/receipt/lookup")
    return ReceiptKeys(
        lookup=hmac.new(pepper, locator, hashlib.sha256).hexdigest(),
        reporter=crypto.PrivateKey.from_seed(seed, purpose=keys.REPORTER_PURPOSE),
    )
