"""The recovery key, rebuilt from trustees' shares typed (or piped) one per line on
standard input: for the commands that act with it (`recover`, `rebuild_buckets`). The
key exists only in this process while the command runs."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

import crypto
from accounts import services
from accounts.models import KeyHolder
from crypto import recovery


def recovery_key(command: BaseCommand) -> tuple[KeyHolder, crypto.PrivateKey]:
    """The organisation's recovery holder and its private key, or CommandError."""
    org = services.organisation()
    if sys.stdin.isatty():
        command.stdout.write(
            f"Type {org.recovery_threshold} or more shares, one per line, then an empty line.\n"
        )
    shares = []
    for line in sys.stdin:
        if not line.strip():
            break
        shares.append(line.strip())
    try:
        key = recovery.recover(shares)
    except crypto.RecoveryError as exc:
        raise CommandError(str(exc)) from None
    holder = org.recovery_holder
    if key.public_key() != holder.public:
        raise CommandError("These shares rebuild a different key than this organisation's.")
    return holder, key
