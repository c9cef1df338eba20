"""Blind-index buckets and sealed identities: written when a person is created from a
report and when a report is linked, keyed by the organisation's index key only, and
looked up for the persons the staff member holds."""

from __future__ import annotations

import os
from unittest import mock

import crypto
import names
from accounts.models import OrganisationKey
from cases import duplicates, persons, services
from cases.models import Person, PersonBucket
from crypto.blind import INDEX_KEY_SIZE
from names import matching, search, stored
from names.search import MemoryIndex
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


class DuplicatesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post(
            "/en/report/",
            report_form_data(
                name_1="Абдурехим Турсун", script_1="cyrillic", name_2="", script_2=""
            ),
        )
        self.client.post(
            "/en/report/",
            report_form_data(name_1="Abdurehim Tursun", script_1="latin", name_2="", script_2=""),
        )
        self.ines_key = self.private_key(self.ines)
        self.cyrillic = report_named("Абдурехим Турсун", self.ines, self.ines_key)
        self.latin = report_named("Abdurehim Tursun", self.ines, self.ines_key)
        index_key = duplicates.index_key(self.ines.holder, self.ines_key)
        assert index_key is not None
        self.index_key = index_key

    def identity(self, person: Person) -> dict:
        opened = persons.open_person(self.ines, self.ines_key, person.id, record=False)
        data = duplicates.sealed_identity(person.id, opened.key)
        assert data is not None
        return data

    def rows(self, person: Person) -> set[bytes]:
        return {
            bytes(b)
            for b in PersonBucket.objects.filter(person=person).values_list("bucket", flat=True)
        }

    def test_it_writes_buckets_and_a_sealed_identity_when_a_person_is_created(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        person.refresh_from_db()
        rows = PersonBucket.objects.filter(person=person)
        self.assertGreater(rows.count(), 0)
        self.assertEqual(set(rows.values_list("version", flat=True)), {names.VERSION})
        self.assertTrue(all(len(bytes(r.bucket)) == names.buckets.BUCKET_BYTES for r in rows))
        self.assertNotIn("Абдурехим".encode(), bytes(person.sealed_identity))
        data = self.identity(person)
        self.assertEqual(data["names"], [{"name": "Абдурехим Турсун", "script": "cyrillic"}])
        self.assertEqual(data["father"], "Tursun")
        self.assertEqual(data["birth_year"], 1984)
        self.assertEqual(data["county"], "Yarkand")

    def test_it_adds_a_linked_reports_names_and_buckets(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        before = self.rows(person)
        persons.link_report(self.ines, self.ines_key, self.latin.id, person.number)
        person.refresh_from_db()
        names_now = [n["name"] for n in self.identity(person)["names"]]
        self.assertEqual(names_now, ["Абдурехим Турсун", "Abdurehim Tursun"])
        expected = names.buckets.of(self.index_key, duplicates.identity_of(self.identity(person)))
        self.assertEqual(self.rows(person), set(expected))
        self.assertTrue(before <= self.rows(person))

    def test_it_makes_other_buckets_under_another_index_key(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        first = self.rows(person)
        other = os.urandom(INDEX_KEY_SIZE)
        duplicates.index_person(self.ines.holder, self.ines_key, other, person.id)
        second = self.rows(person)
        self.assertTrue(first and second)
        self.assertEqual(first & second, set())
        # The same key again gives the same rows: indexing is idempotent.
        duplicates.index_person(self.ines.holder, self.ines_key, other, person.id)
        self.assertEqual(self.rows(person), second)

    def test_it_finds_candidates_only_among_the_persons_one_holds(self):
        services.assign(self.ines, self.ines_key, self.cyrillic.id, self.alice)
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        content = duplicates.report_content(self.ines.holder_id, self.ines_key, self.latin.id)
        wanted = duplicates.identity_of(duplicates.report_identity(content))
        for staff, expected in (
            (self.ines, [person.id]),
            (self.alice, [person.id]),
            (self.bob, []),
        ):
            key = duplicates.index_key(staff.holder, self.private_key(staff))
            assert key is not None
            found = [pid for pid, _shared in duplicates.candidates(staff, key, wanted)]
            self.assertEqual(found, expected, staff.username)

    def test_it_gathers_in_one_query_ranked_as_names_search_ranks(self):
        ines = self.ines
        spellings = [
            ("Abdurehim Tursun", "latin", 1984),
            ("Абдурехим Турсунов", "cyrillic", 1990),
            ("Memet Tursun", "latin", 1984),
            ("Abdukerim Ablet", "latin", 1971),
        ]
        memory = MemoryIndex(self.index_key)
        narrow = MemoryIndex(self.index_key, cap=1)
        for i, (name, script, year) in enumerate(spellings):
            data = report_form_data(
                name_1=name, script_1=script, name_2="", script_2="", birth_year=str(year)
            )
            self.client.post("/en/report/", data)
            report = report_named(name, ines, self.ines_key)
            person = persons.create_from_report(ines, self.ines_key, report.id, "partly")
            opened = persons.open_person(ines, self.ines_key, person.id, record=False)
            identity = duplicates.identity_of(
                duplicates.sealed_identity(person.id, opened.key) or {}
            )
            memory.add(person.id.hex, identity)
            narrow.add(person.id.hex, identity)
            self.assertEqual(i + 1, Person.objects.count())
        wanted = duplicates.identity_of(
            duplicates.report_identity(
                duplicates.report_content(ines.holder_id, self.ines_key, self.latin.id)
            )
        )
        with self.assertNumQueries(1):
            found = duplicates.candidates(ines, self.index_key, wanted)
        shared = memory.shared(wanted)
        self.assertEqual([pid.hex for pid, _ in found], search.rank(shared))
        self.assertEqual(
            {pid.hex: weight for pid, weight in found}, {k: v for k, v in shared.items() if v > 0}
        )
        self.assertGreaterEqual(len(found), 2)
        # With a cap of one row, only buckets of a single person gather, in both.
        with self.assertNumQueries(1):
            capped = duplicates.candidates(ines, self.index_key, wanted, cap=1)
        shared = narrow.shared(wanted)
        self.assertEqual([pid.hex for pid, _ in capped], search.rank(shared))
        self.assertEqual({pid.hex: weight for pid, weight in capped}, shared)
        self.assertNotEqual(capped, found)

    def test_it_does_not_gather_on_a_bucket_over_the_cap(self):
        first = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        second = persons.create_from_report(self.ines, self.ines_key, self.latin.id, "partly")
        bare = names.matching.identity(["Abdurehim Tursun"])
        found = {pid for pid, _ in duplicates.candidates(self.ines, self.index_key, bare)}
        self.assertEqual(found, {first.id, second.id})
        # Every bucket of the bare name is on both persons: over a cap of one, none
        # gathers, and the report gets no candidates rather than a slow lookup.
        self.assertEqual(duplicates.candidates(self.ines, self.index_key, bare, cap=1), [])
        memory = MemoryIndex(self.index_key, cap=1)
        for person in (first, second):
            memory.add(person.id.hex, duplicates.identity_of(self.identity(person)))
        self.assertEqual(memory.shared(bare), {})

    def test_it_writes_no_buckets_for_a_staff_member_without_the_index_key(self):
        OrganisationKey.objects.filter(holder_id=self.ines.holder_id).delete()
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        person.refresh_from_db()
        self.assertFalse(PersonBucket.objects.filter(person=person).exists())
        self.assertEqual(bytes(person.sealed_identity), b"")

    def test_it_skips_buckets_of_an_old_normalisation_version(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        content = duplicates.report_content(self.ines.holder_id, self.ines_key, self.latin.id)
        wanted = duplicates.identity_of(duplicates.report_identity(content))
        self.assertEqual(len(duplicates.candidates(self.ines, self.index_key, wanted)), 1)
        PersonBucket.objects.filter(person=person).update(version=names.VERSION - 1)
        self.assertEqual(duplicates.candidates(self.ines, self.index_key, wanted), [])

    def test_it_seals_the_identity_to_its_person(self):
        """The identity's associated data names the person: a sealed identity copied to
        another person does not open."""
        first = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        second = persons.create_from_report(self.ines, self.ines_key, self.latin.id, "partly")
        first.refresh_from_db()
        Person.objects.filter(id=second.id).update(sealed_identity=first.sealed_identity)
        opened = persons.open_person(self.ines, self.ines_key, second.id, record=False)
        with self.assertRaises(crypto.DecryptionError):
            duplicates.sealed_identity(second.id, opened.key)
        self.assertEqual(self.identity(first)["birth_year"], 1984)

    def test_it_keeps_the_parsed_identity_in_the_sealed_one(self):
        person = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        data = self.identity(person)
        self.assertEqual(data["parsed"]["version"], names.VERSION)
        parsed = matching.identity(
            [("Абдурехим Турсун", "cyrillic")], father="Tursun", birth_year=1984, county="Yarkand"
        )
        self.assertEqual(stored.load(data["parsed"]["identity"]), parsed)

    def test_it_proposes_without_parsing_a_candidates_names_again(self):
        first = persons.create_from_report(self.ines, self.ines_key, self.cyrillic.id, "partly")
        self.client.post(
            "/en/report/",
            report_form_data(name_1="Abdurehim Tursunov", script_1="latin", name_2="", script_2=""),
        )
        second = persons.create_from_report(
            self.ines,
            self.ines_key,
            report_named("Abdurehim Tursunov", self.ines, self.ines_key).id,
            "partly",
        )
        with mock.patch.object(duplicates.matching, "identity", wraps=matching.identity) as parsing:
            shown = duplicates.propose(self.ines, self.ines_key, self.index_key, self.latin.id)
        self.assertEqual({p.person_id for p in shown}, {first.id, second.id})
        self.assertEqual(parsing.call_count, 1)  # the new report's names only

    def test_it_parses_again_what_an_older_normalisation_kept(self):
        data = {
            "names": [{"name": "Абдурехим Турсун", "script": "cyrillic"}],
            "father": "",
            "birth_year": 1984,
            "county": "",
        }
        other = stored.dump(matching.identity(["Memet Ablet"]))
        old = {**data, "parsed": {"version": names.VERSION - 1, "identity": other}}
        fresh = matching.identity([("Абдурехим Турсун", "cyrillic")], birth_year=1984)
        self.assertEqual(duplicates.identity_of(old), fresh)
        current = {**data, "parsed": {"version": names.VERSION, "identity": other}}
        self.assertEqual(duplicates.identity_of(current), stored.load(other))
