"""Recompute every person's blind-index buckets and sealed identity: after the index
key or the names normalisation (names.VERSION) changed. A person left due by a shredded
report (Person.reindex_due) gets its name sealed again from its reports left as well.

Unlocks with the recovery shares as `recover` does (one per line on standard input):
the recovery key holds every report, every person key and the index key. Prints
counts only, never a name. Running it twice changes nothing the second time.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

import names
from accounts import keyring
from audit import chain as audit
from audit.models import Action
from cases import duplicates
from cases.management import shares
from cases.models import Person, PersonBucket, PersonKey


def old_rows() -> int:
    return PersonBucket.objects.exclude(version=names.VERSION).count()


class Command(BaseCommand):
    help = (
        "Rebuild the recovery key from trustees' shares (one per line on standard input) "
        "and recompute every person's name buckets with the current index key and names "
        "version."
    )

    def handle(self, *args, **opts):
        holder, recovery_key = shares.recovery_key(self)
        index_key = duplicates.index_key(holder, recovery_key)
        if index_key is None:
            raise CommandError("The recovery key holds no index key: nothing can be rebuilt.")

        # The recovery key opens every case: on the record, with nothing but the fact,
        # before the first is opened, so a run that stops midway is recorded too.
        audit.record("recovery", Action.BUCKETS_REBUILT)
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
                # A person a shredding left due gets its name sealed again too.
                duplicates.reindex(holder, recovery_key, index_key, person_id)
                rows += duplicates.index_person(holder, recovery_key, index_key, person_id)
            except keyring.NoAccess:
                skipped += 1
                continue
            indexed += 1
        self.stdout.write(
            f"Persons indexed: {indexed}. Skipped (not held by the recovery key): {skipped}.\n"
            f"Bucket rows written: {rows} (names version {names.VERSION}).\n"
            f"Rows of an older version: {before} before, {old_rows()} after.\n"
        )
