"""Recompute every person's blind-index buckets and sealed identity: after the index
key or the names normalisation (names.VERSION) changed.

Unlocks with the recovery shares as `recover` does (one per line on standard input):
the recovery key holds every report, every person key and the index key. Prints
counts only, never a name. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

import crypto
import names
from accounts import keyring, services
from audit import chain as audit
from audit.models import Action
from cases import duplicates
from cases.models import Person, PersonBucket, PersonKey
from crypto import recovery


def old_rows() -> int:
    return PersonBucket.objects.exclude(version=names.VERSION).count()


class Command(BaseCommand):
    help = (
        "Rebuild the recovery key from trustees' shares (one per line on standard input) "
        "and recompute every person's name buckets with the current index key and names "
        "version."
    )

    def handle(self, *args, **opts):
        org = services.organisation()
        if sys.stdin.isatty():
            self.stdout.write(
                f"Type {org.recovery_threshold} or more shares, one per line, then an empty line.\n"
            )
        shares = []
        for line in sys.stdin:
            if not line.strip():
                break
            shares.append(line.strip())
        try:
            recovery_key = recovery.recover(shares)
        except crypto.RecoveryError as exc:
            raise CommandError(str(exc)) from None
        holder = org.recovery_holder
        if recovery_key.public_key() != holder.public:
            raise CommandError("These shares rebuild a different key than this organisation's.")
        index_key = duplicates.index_key(holder, recovery_key)
        if index_key is None:
            raise CommandError("The recovery key holds no index key: nothing can be rebuilt.")

        before = old_rows()
        held = set(
            PersonKey.objects.filter(holder_id=holder.pk).values_list("person_id", flat=True)
        )
        indexed = skipped = rows = 0
        for person_id in Person.objects.order_by("number").values_list("id", flat=True):
            if person_id not in held:
                skipped += 1  # only a key the recovery key does not hold: left as it is
                continue
            try:
                rows += duplicates.index_person(holder, recovery_key, index_key, person_id)
            except keyring.NoAccess:
                skipped += 1
                continue
            indexed += 1
        # The recovery key opened every case: on the record, with nothing but the fact.
        audit.record("recovery", Action.BUCKETS_REBUILT)
        self.stdout.write(
            f"Persons indexed: {indexed}. Skipped (not held by the recovery key): {skipped}.\n"
            f"Bucket rows written: {rows} (names version {names.VERSION}).\n"
            f"Rows of an older version: {before} before, {old_rows()} after.\n"
        )
