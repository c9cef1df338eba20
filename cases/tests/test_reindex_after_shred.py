"""A report withdrawn and shredded takes its names out of its person at once (buckets,
sealed identity, sealed name: no key needed, the shredding task holds none), and the
next staff member with the index key who acts on the person seals them again from the
reports left."""

import io
from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from accounts import keyring
from cases import duplicates, merging, name_search, persons, services
from cases.models import Person, PersonBucket, PersonReport
from intake.models import Report, ReportKey
from intake.tasks import shred_withdrawn_reports
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data, report_named

KEPT, WITHDRAWN = "Abdurehim Tursun", "Nurmemet Qadirov"


class ReindexAfterShredTestCase(BaseTestCase):
    """Case A (Alice's) from a report about Abdurehim Tursun, and a second report of
    the same case that gives another name and is then withdrawn by its reporter."""

    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1=KEPT))
        response = self.client.post(
            "/en/report/", report_form_data(name_1=WITHDRAWN, name_2="", script_2="")
        )
        self.receipt = receipt_in(response)
        self.ines_key = self.private_key(self.ines)
        self.kept = report_named(KEPT, self.ines, self.ines_key)
        self.withdrawn = report_named(WITHDRAWN, self.ines, self.ines_key)
        self.a = persons.create_from_report(self.ines, self.ines_key, self.kept.id, "unverified")
        services.assign(self.ines, self.ines_key, self.kept.id, self.alice)
        persons.link_report(self.ines, self.ines_key, self.withdrawn.id, self.a.number)

    def shred(self, receipt=None):
        """The reporter withdraws on the receipt page; the daily task shreds the report
        once its grace period has passed."""
        self.client.post(
            "/en/receipt/",
            {"receipt": receipt or self.receipt, "action": "withdraw", "confirm": "on"},
        )
        Report.objects.filter(status="withdrawn").update(
            withdrawn_on=timezone.localdate() - timedelta(days=30)
        )
        shred_withdrawn_reports.apply()

    def found(self, name):
        return [p.person_id for p in name_search.find(self.ines, self.ines_key, name)]

    def identity_names(self):
        opened = persons.open_person(self.ines, self.ines_key, self.a.id, record=False)
        data = duplicates.sealed_identity(self.a.id, opened.key) or {"names": []}
        return [entry["name"] for entry in data["names"]]

    def test_it_forgets_the_shredded_names_at_once_and_finds_the_case_by_the_others_again(self):
        self.assertEqual(self.found(WITHDRAWN), [self.a.id])
        self.assertIn(WITHDRAWN, self.identity_names())
        self.shred()
        self.assertEqual(Report.objects.get(id=self.withdrawn.id).sealed_content, b"")
        person = Person.objects.get(id=self.a.id)
        self.assertTrue(person.reindex_due)
        self.assertEqual(bytes(person.sealed_identity), b"")
        self.assertEqual(bytes(person.sealed_name), b"")
        self.assertFalse(PersonBucket.objects.filter(person=self.a).exists())
        self.assertFalse(PersonReport.objects.filter(report=self.withdrawn).exists())
        self.assertEqual(self.found(WITHDRAWN), [])
        # Indexed again by the next staff member with the index key: the name left.
        self.assertEqual(duplicates.reindex_due(self.ines, self.ines_key), 1)
        self.assertFalse(Person.objects.get(id=self.a.id).reindex_due)
        self.assertEqual(self.found(KEPT), [self.a.id])
        self.assertEqual(self.found(WITHDRAWN), [])
        self.assertIn(KEPT, self.identity_names())
        self.assertNotIn(WITHDRAWN, self.identity_names())
        self.assertEqual(duplicates.reindex_due(self.ines, self.ines_key), 0)  # done once

    def test_the_case_page_seals_the_name_again_and_no_longer_shows_the_shredded_one(self):
        self.shred()
        self.sign_in(self.alice)
        page = self.client.get(f"/staff/reports/persons/{self.a.id}/")
        self.assertContains(page, KEPT)
        self.assertNotContains(page, WITHDRAWN)
        self.assertNotContains(page, "withdrawn and deleted")
        self.assertFalse(Person.objects.get(id=self.a.id).reindex_due)
        opened = persons.open_person(self.alice, self.private_key(self.alice), self.a.id)
        shown = persons.name(opened)
        self.assertEqual(shown["name"], KEPT)
        self.assertNotIn(WITHDRAWN, [other["name"] for other in shown["others"]])
        self.assertEqual(self.found(KEPT), [self.a.id])

    def test_the_inbox_indexes_the_due_cases_its_viewer_holds(self):
        self.shred()
        self.sign_in(self.ines)
        self.client.get("/staff/reports/")
        self.assertFalse(Person.objects.get(id=self.a.id).reindex_due)
        self.assertEqual(self.found(KEPT), [self.a.id])

    def test_bob_does_not_index_alices_case_and_sees_nothing_of_it(self):
        self.shred()
        self.assertEqual(duplicates.reindex_due(self.bob, self.private_key(self.bob)), 0)
        self.assertTrue(Person.objects.get(id=self.a.id).reindex_due)
        self.sign_in(self.bob)
        self.assertEqual(self.client.get(f"/staff/reports/persons/{self.a.id}/").status_code, 404)
        self.assertTrue(Person.objects.get(id=self.a.id).reindex_due)

    def test_the_shredding_needs_no_key(self):
        def refuse(*args, **kwargs):
            raise AssertionError("the shredding opened a key")

        with mock.patch.object(keyring, "unwrap", refuse):
            self.shred()
        self.assertTrue(Person.objects.get(id=self.a.id).reindex_due)
        self.assertFalse(PersonBucket.objects.filter(person=self.a).exists())

    def test_a_case_whose_only_report_was_shredded_keeps_its_notes_and_no_name(self):
        opened = persons.open_person(self.ines, self.ines_key, self.a.id, record=False)
        persons.add_note(self.ines, opened, "Called the embassy.")
        # Only the withdrawn report is left: the kept one goes back to the inbox.
        merging.unlink(self.ines, self.ines_key, self.a.id, self.kept.id)
        self.shred()
        person = Person.objects.get(id=self.a.id)
        self.assertFalse(person.reindex_due)  # nothing to seal a name from
        self.assertEqual(bytes(person.sealed_name), b"")
        self.assertFalse(PersonBucket.objects.filter(person=self.a).exists())
        self.assertFalse(PersonReport.objects.filter(person=self.a).exists())
        self.sign_in(self.ines)
        page = self.client.get(f"/staff/reports/persons/{self.a.id}/")
        self.assertContains(page, "Every report of this case was withdrawn by its reporter")
        self.assertContains(page, "no name: every report of this case was withdrawn")
        self.assertContains(page, "Called the embassy.")
        self.assertNotContains(page, WITHDRAWN)
        self.assertEqual(self.found(WITHDRAWN), [])
        # The case list shows it without a name too.
        self.assertNotContains(self.client.get("/staff/reports/persons/"), WITHDRAWN)

    def test_a_report_never_triaged_is_shredded_as_before(self):
        self.client.post("/en/report/", report_form_data(name_1="Alone Person"))
        lone = report_named("Alone Person", self.ines, self.ines_key)
        Report.objects.filter(id=lone.id).update(
            status="withdrawn", withdrawn_on=timezone.localdate() - timedelta(days=30)
        )
        shred_withdrawn_reports.apply()
        self.assertEqual(Report.objects.get(id=lone.id).sealed_content, b"")
        self.assertFalse(Person.objects.get(id=self.a.id).reindex_due)
        self.assertTrue(PersonBucket.objects.filter(person=self.a).exists())

    def test_rebuild_buckets_seals_a_due_case_again(self):
        self.shred()
        stdin = io.StringIO("\n".join(self.shares[:3]) + "\n\n")
        with mock.patch("sys.stdin", stdin):
            call_command("rebuild_buckets", stdout=io.StringIO())
        self.assertFalse(Person.objects.get(id=self.a.id).reindex_due)
        self.assertEqual(self.found(KEPT), [self.a.id])
        self.assertEqual(self.found(WITHDRAWN), [])
        opened = persons.open_person(self.ines, self.ines_key, self.a.id, record=False)
        self.assertEqual(persons.name(opened)["name"], KEPT)

    def test_a_failure_while_forgetting_the_names_leaves_the_report_unshredded(self):
        broken = mock.Mock()
        broken.objects.filter.side_effect = RuntimeError("database went away")
        with mock.patch.object(duplicates, "PersonBucket", broken):
            self.shred()
        self.assertNotEqual(bytes(Report.objects.get(id=self.withdrawn.id).sealed_content), b"")
        self.assertTrue(ReportKey.objects.filter(report=self.withdrawn).exists())
        self.assertTrue(PersonReport.objects.filter(report=self.withdrawn).exists())
        self.assertFalse(Person.objects.get(id=self.a.id).reindex_due)
        self.assertEqual(self.found(WITHDRAWN), [self.a.id])
        # The next run shreds it, and the names go with it.
        shred_withdrawn_reports.apply()
        self.assertEqual(self.found(WITHDRAWN), [])
