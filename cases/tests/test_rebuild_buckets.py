"""manage.py rebuild_buckets: every person's buckets recomputed with the recovery
shares, counts printed and never a name, idempotent, old-version rows reported."""

from __future__ import annotations

import io
import os
from unittest import mock

from django.core.management import CommandError, call_command

import names
from accounts.models import OrganisationKey
from audit.models import Action, Waiting
from cases import duplicates, persons
from cases.models import Person, PersonBucket
from crypto.blind import INDEX_KEY_SIZE
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named

NAMES = ("Abdurehim Tursun", "Gulzira Bekova")


def rebuild(shares) -> str:
    stdin = io.StringIO("\n".join(shares) + "\n\n")
    out = io.StringIO()
    with mock.patch("sys.stdin", stdin):
        call_command("rebuild_buckets", stdout=out)
    return out.getvalue()


class RebuildBucketsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        ines_key = self.private_key(self.ines)
        for name in NAMES:
            self.client.post("/en/report/", report_form_data(name_1=name))
            report = report_named(name, self.ines, ines_key)
            persons.create_from_report(self.ines, ines_key, report.id, "partly")
        self.index_key = duplicates.index_key(self.ines.holder, ines_key)

    def rows(self) -> dict:
        return {
            person_id: {
                bytes(b)
                for b in PersonBucket.objects.filter(person_id=person_id).values_list(
                    "bucket", flat=True
                )
            }
            for person_id in Person.objects.values_list("id", flat=True)
        }

    def test_it_rebuilds_old_version_rows_and_reports_the_counts(self):
        expected = self.rows()
        PersonBucket.objects.update(version=names.VERSION - 1)
        stale = PersonBucket.objects.count()
        output = rebuild(self.shares[:3])
        self.assertIn("Persons indexed: 2.", output)
        self.assertIn(f"Rows of an older version: {stale} before, 0 after.", output)
        self.assertEqual(self.rows(), expected)
        self.assertFalse(PersonBucket.objects.exclude(version=names.VERSION).exists())
        rebuilt = Waiting.objects.get(action=Action.BUCKETS_REBUILT)
        self.assertEqual((rebuilt.actor, rebuilt.subjects), ("recovery", []))

    def test_it_follows_a_new_index_key(self):
        old = self.rows()
        new_key = os.urandom(INDEX_KEY_SIZE)
        # A new index key as an organisation would roll it: every holder's wrapping replaced.
        from accounts import services as accounts

        for row in OrganisationKey.objects.select_related("holder"):
            accounts.grant_org_key(OrganisationKey.Purpose.INDEX, new_key, row.holder)
        rebuild(self.shares[1:4])
        new = self.rows()
        for person_id, buckets in new.items():
            self.assertTrue(buckets)
            self.assertEqual(buckets & old[person_id], set())
        ines_key = self.private_key(self.ines)
        self.assertEqual(duplicates.index_key(self.ines.holder, ines_key), new_key)

    def test_it_is_idempotent_and_prints_no_name(self):
        first = rebuild(self.shares[:3])
        rows = self.rows()
        second = rebuild(self.shares[:3])
        self.assertEqual(self.rows(), rows)
        self.assertEqual(first, second)
        self.assertIn("Rows of an older version: 0 before, 0 after.", second)
        for name in NAMES:
            for part in name.split():
                self.assertNotIn(part.lower(), first.lower())

    def test_two_shares_are_not_enough(self):
        before = self.rows()
        PersonBucket.objects.all().delete()
        with self.assertRaisesMessage(CommandError, "cannot be combined"):
            rebuild(self.shares[:2])
        self.assertFalse(PersonBucket.objects.exists())
        self.assertFalse(Waiting.objects.filter(action=Action.BUCKETS_REBUILT).exists())
        self.assertTrue(before)
