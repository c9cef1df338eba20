import io
import uuid

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import TestCase

from audit import chain
from audit.models import Action, Entry


def raw_update(sql: str, params: list) -> None:
    """Tamper with the table as someone with database access would (SQLite here:
    the PostgreSQL trigger refuses it, which another test shows)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class ChainTestCase(TestCase):
    def setUp(self):
        self.holder = uuid.uuid4()
        for action in (Action.LOGIN, Action.KEY_UNLOCKED, Action.LOGOUT):
            chain.record("staff:7", action, [self.holder])

    def verify_command(self) -> str:
        out = io.StringIO()
        call_command("verify_audit", stdout=out)
        return out.getvalue()

    def test_it_verifies_an_intact_chain(self):
        self.assertIn("intact: 3 entries", self.verify_command())

    def test_it_links_each_entry_to_the_one_before(self):
        first, second, third = Entry.objects.all()
        self.assertEqual(first.previous_hash, chain.GENESIS)
        self.assertEqual(second.previous_hash, first.hash)
        self.assertEqual(third.previous_hash, second.hash)

    def test_it_keeps_only_opaque_ids(self):
        with self.assertRaises(TypeError):
            chain.record("staff:7", Action.REPORT_OPENED, ["Abdurehim Tursun"])
        last = Entry.objects.last()
        assert last is not None
        self.assertEqual(last.subjects, [self.holder.hex])

    def test_it_detects_changed_content(self):
        if connection.vendor == "postgresql":
            self.skipTest("the trigger refuses the change itself (tested below)")
        raw_update("UPDATE audit_entry SET action = %s WHERE sequence = 2", ["logout"])
        with self.assertRaisesMessage(CommandError, "broken at entry #2: its content was changed"):
            self.verify_command()

    def test_it_detects_a_changed_actor(self):
        if connection.vendor == "postgresql":
            self.skipTest("the trigger refuses the change itself")
        raw_update("UPDATE audit_entry SET actor = %s WHERE sequence = 1", ["staff:8"])
        self.assertEqual(chain.verify().broken_at, 1)

    def test_it_detects_reordering(self):
        if connection.vendor == "postgresql":
            self.skipTest("the trigger refuses the change itself")
        raw_update("UPDATE audit_entry SET sequence = 99 WHERE sequence = 2", [])
        raw_update("UPDATE audit_entry SET sequence = 2 WHERE sequence = 3", [])
        raw_update("UPDATE audit_entry SET sequence = 3 WHERE sequence = 99", [])
        verdict = chain.verify()
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.broken_at, 2)

    def test_it_detects_a_deleted_entry(self):
        if connection.vendor == "postgresql":
            self.skipTest("the trigger refuses the change itself")
        raw_update("DELETE FROM audit_entry WHERE sequence = 2", [])
        with self.assertRaisesMessage(CommandError, "broken at entry #2"):
            self.verify_command()

    def test_it_detects_deleted_last_entries(self):
        if connection.vendor == "postgresql":
            self.skipTest("the trigger refuses the change itself")
        raw_update("DELETE FROM audit_entry WHERE sequence = 3", [])
        verdict = chain.verify()
        self.assertFalse(verdict.ok)
        self.assertIn("missing", verdict.reason)

    def test_postgresql_refuses_update_and_delete(self):
        if connection.vendor != "postgresql":
            self.skipTest("the trigger exists on PostgreSQL only")
        for sql in ("UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"):
            with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
                raw_update(sql, [])
        self.assertTrue(chain.verify().ok)
