"""Amanat's cryptographic core: pure Python on `cryptography` and `shamir-mnemonic`.

It imports nothing of Django or of the rest of the project, and takes every key
as an argument. See docs/KEYS.md for the formats.
"""

from .aead import associated_data, new_key, open_, seal
from .blind import blind_index
from .errors import (
    CryptoError,
    DecryptionError,
    FormatError,
    RecoveryError,
    StreamError,
    WeakParametersError,
)
from .keys import PrivateKey, PublicKey, unwrap, wrap

__all__ = [
    "CryptoError",
    "DecryptionError",
    "FormatError",
    "PrivateKey",
    "PublicKey",
    "RecoveryError",
    "StreamError",
    "WeakParametersError",
    "associated_data",
    "blind_index",
    "new_key",
    "open_",
    "seal",
    "unwrap",
    "wrap",
]
