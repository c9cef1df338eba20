"""Typed errors. Messages name what failed, never a key, a share or any plaintext."""


class CryptoError(Exception):
    """Base class for every error raised by the crypto package."""


class FormatError(CryptoError):
    """The bytes are not in a format or version this code knows."""


class DecryptionError(CryptoError):
    """Authentication failed: wrong key, wrong associated data or tampered bytes."""


class StreamError(DecryptionError):
    """A stream was truncated, reordered, or has trailing data."""


class WeakParametersError(CryptoError):
    """Key-derivation parameters are below the floor this code accepts."""


class RecoveryError(CryptoError):
    """Recovery shares could not be combined into a key."""
