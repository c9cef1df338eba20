"""Hybrid post-quantum key pairs (ML-KEM-768 + X25519) and HPKE key wrapping.

A key holder (staff member, recovery key, reporter) has a key pair; a data key
is stored only wrapped to each holder's public key (RFC 9180 HPKE, base mode,
KEM MLKEM768_X25519, HKDF-SHA256, AES-256-GCM).

Serialised forms (the hybrid key objects have none of their own, so the parts
are stored):
  public key:  header (5) | ML-KEM-768 public key (1184) | X25519 public (32)
  private key: header (5) | ML-KEM-768 seed (64) | X25519 private (32)
  wrapped key: header (5) | HPKE encapsulation and ciphertext
The wrapped key's header is bound into HPKE's info together with the caller's
info, which names what is wrapped and for whom.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import header
from .errors import DecryptionError, FormatError

_ALG = header.ALG_HPKE_MLKEM768X25519_HKDFSHA256_AES256GCM
_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_WRAP_HEADER = header.make(header.WRAPPED, _ALG)

MLKEM_SEED_SIZE = 64
MLKEM_PUBLIC_SIZE = 1184
X25519_SIZE = 32
PUBLIC_KEY_SIZE = header.SIZE + MLKEM_PUBLIC_SIZE + X25519_SIZE
PRIVATE_KEY_SIZE = header.SIZE + MLKEM_SEED_SIZE + X25519_SIZE
SEED_SIZE = 32  # for key pairs derived from a secret (recovery key, receipt)
RECOVERY_PURPOSE = b"amanat/recovery-key-pair/v1"
REPORTER_PURPOSE = b"amanat/reporter-key-pair/v1"


class PublicKey:
    def __init__(self, kem: mlkem.MLKEM768PublicKey, dh: x25519.X25519PublicKey) -> None:
        self._kem = kem
        self._dh = dh
        self._hpke = hpke.MLKEM768X25519PublicKey(kem, dh)

    def to_bytes(self) -> bytes:
        return (
            header.make(header.PUBLIC_KEY, _ALG)
            + self._kem.public_bytes_raw()
            + self._dh.public_bytes_raw()
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> PublicKey:
        header.check(data, header.PUBLIC_KEY, _ALG)
        if len(data) != PUBLIC_KEY_SIZE:
            raise FormatError("public key has the wrong length")
        body = bytes(data[header.SIZE :])
        try:
            kem = mlkem.MLKEM768PublicKey.from_public_bytes(body[:MLKEM_PUBLIC_SIZE])
            dh = x25519.X25519PublicKey.from_public_bytes(body[MLKEM_PUBLIC_SIZE:])
        except ValueError:
            raise FormatError("public key is malformed") from None
        return cls(kem, dh)

    def fingerprint(self) -> str:
        """A short hex name for the key (first 16 bytes of SHA-256 of its bytes)."""
        return hashlib.sha256(self.to_bytes()).hexdigest()[:32]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.to_bytes() == other.to_bytes()

    def __hash__(self) -> int:
        return hash(self.to_bytes())


class PrivateKey:
    def __init__(self, kem_seed: bytes, dh: x25519.X25519PrivateKey) -> None:
        self._kem_seed = kem_seed
        self._kem = mlkem.MLKEM768PrivateKey.from_seed_bytes(kem_seed)
        self._dh = dh
        self._hpke = hpke.MLKEM768X25519PrivateKey(self._kem, dh)

    @classmethod
    def generate(cls) -> PrivateKey:
        kem = mlkem.MLKEM768PrivateKey.generate()
        return cls(kem.private_bytes_raw(), x25519.X25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes, purpose: bytes = RECOVERY_PURPOSE) -> PrivateKey:
        """Derive a key pair deterministically from a 32-byte secret.

        purpose separates key pairs made from secrets of different kinds (the
        recovery secret, a reporter's receipt).
        """
        if len(seed) != SEED_SIZE:
            raise ValueError("a key pair seed must be 32 bytes")
        material = HKDF(
            algorithm=hashes.SHA256(),
            length=MLKEM_SEED_SIZE + X25519_SIZE,
            salt=None,
            info=purpose,
        ).derive(seed)
        dh = x25519.X25519PrivateKey.from_private_bytes(material[MLKEM_SEED_SIZE:])
        return cls(material[:MLKEM_SEED_SIZE], dh)

    def to_bytes(self) -> bytes:
        """The private key's bytes. Secret: lock or wrap them before storing."""
        return header.make(header.PRIVATE_KEY, _ALG) + self._kem_seed + self._dh.private_bytes_raw()

    @classmethod
    def from_bytes(cls, data: bytes) -> PrivateKey:
        header.check(data, header.PRIVATE_KEY, _ALG)
        if len(data) != PRIVATE_KEY_SIZE:
            raise FormatError("private key has the wrong length")
        body = bytes(data[header.SIZE :])
        try:
            dh = x25519.X25519PrivateKey.from_private_bytes(body[MLKEM_SEED_SIZE:])
            return cls(body[:MLKEM_SEED_SIZE], dh)
        except ValueError:
            raise FormatError("private key is malformed") from None

    def public_key(self) -> PublicKey:
        return PublicKey(self._kem.public_key(), self._dh.public_key())

    def __repr__(self) -> str:
        return f"<PrivateKey {self.public_key().fingerprint()}>"


def _info(info: bytes) -> bytes:
    return _WRAP_HEADER + b"\x00" + info


def wrap(key: bytes, recipient: PublicKey, info: bytes) -> bytes:
    """Encrypt a data key to recipient. info names what is wrapped and for whom."""
    return _WRAP_HEADER + _SUITE.encrypt(key, recipient._hpke, info=_info(info))


def unwrap(wrapped: bytes, private_key: PrivateKey, info: bytes) -> bytes:
    """Recover a data key wrapped to private_key's public key with the same info."""
    header.check(wrapped, header.WRAPPED, _ALG)
    try:
        return _SUITE.decrypt(bytes(wrapped[header.SIZE :]), private_key._hpke, info=_info(info))
    except (InvalidTag, ValueError):
        raise DecryptionError(
            "wrapped key failed to open (not wrapped for this key, wrong info, or altered)"
        ) from None
