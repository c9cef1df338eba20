"""Reads from the replica: only the pages that ask for it, never a write, and the primary
when there is no replica or it does not answer.

A test cannot run a standby of the test database, so on PostgreSQL the "replica" alias is
a second connection to the same database: what is checked is which connection each query
took. tests/deploy/test_cluster.py runs a real hot standby.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import skipUnless

from django.db import connection, connections
from django.test import SimpleTestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp

from accounts import second_factor, services
from accounts.models import Role, Staff
from audit.models import Entry
from audit.tests.auditor import AuditorTestCase
from config import db_router
from config.tests.test_settings import PRODUCTION_ENV, load_settings
from tests import servers
from tests.base import PASSWORDS

WRITES = ("INSERT", "UPDATE", "DELETE", "FOR UPDATE")


def add_replica_alias(**changes: object) -> None:
    """A "replica" database like the primary's, changed by `changes`; a test mirror, so
    the test runner neither creates it nor wraps it in the test's transaction."""
    settings = copy.deepcopy(connections["default"].settings_dict)
    settings.update(changes)
    settings["TEST"] = {**settings["TEST"], "MIRROR": "default"}
    connections.settings[db_router.REPLICA] = settings


def remove_replica_alias() -> None:
    connections[db_router.REPLICA].close()  # made here if no test used it
    del connections[db_router.REPLICA]
    connections.settings.pop(db_router.REPLICA, None)
    db_router._down_until = 0.0


def sql(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


@contextmanager
def both_connections() -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[db_router.REPLICA]) as replica,
    ):
        yield primary, replica


class ReplicaSettingsTestCase(SimpleTestCase):
    def test_it_adds_the_replica_in_production_like_the_primary(self):
        replica = "postgres://amanat@10.0.0.2:5432/amanat"
        expr = "settings.DATABASES['replica']['HOST'], settings.DATABASES['replica']['OPTIONS']"
        result = load_settings({**PRODUCTION_ENV, "DATABASE_REPLICA_URL": replica}, expr)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("10.0.0.2 "), result.stdout)
        self.assertIn("'connect_timeout': 2", result.stdout)
        self.assertIn("'server_side_binding': True", result.stdout)

    def test_it_refuses_a_replica_of_another_kind(self):
        env = {**PRODUCTION_ENV, "DATABASE_REPLICA_URL": "sqlite:////tmp/replica.sqlite3"}
        result = load_settings(env, "settings.DATABASES")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DATABASE_REPLICA_URL must name the same kind of database", result.stderr)


class NoReplicaTestCase(AuditorTestCase):
    def test_it_reads_everything_from_the_primary_without_a_replica(self):
        self.assertFalse(db_router.replica_configured())
        router = db_router.PrimaryReplicaRouter()
        with db_router.replica_reads() as from_replica:
            self.assertFalse(from_replica)
            self.assertEqual(router.db_for_read(Entry), "default")
        self.sign_in(self.ada)
        with CaptureQueriesContext(connection) as primary:
            self.assertIn("Sign-in", self.page())
        self.assertTrue(any('"audit_entry"' in query for query in sql(primary)))
        self.assertEqual(self.client.get("/healthz").json()["replica"], "none")


class ReplicaDownTestCase(AuditorTestCase):
    databases = {"default", db_router.REPLICA}

    @classmethod
    def setUpClass(cls) -> None:
        # A PostgreSQL replica nobody listens for, whatever the primary is.
        add_replica_alias(
            ENGINE="django.db.backends.postgresql",
            NAME="amanat",
            USER="postgres",
            PASSWORD="",
            HOST="127.0.0.1",
            PORT=str(servers.free_port()),
            OPTIONS={"connect_timeout": 2},
        )
        cls.addClassCleanup(remove_replica_alias)
        super().setUpClass()

    @classmethod
    def _databases_names(cls, include_mirrors: bool = True) -> list[str]:
        # The test's transaction is opened on the primary only: the replica cannot be reached.
        return super()._databases_names(include_mirrors=False)  # type: ignore[misc]

    def test_it_serves_the_audit_listing_from_the_primary_when_the_replica_is_down(self):
        self.sign_in(self.ada)
        with self.assertLogs("config.db_router", "WARNING") as logs:
            with CaptureQueriesContext(connection) as primary:
                first = self.page()
            on_primary = sql(primary)  # before the next request clears the log
            second = self.page()  # the replica is not tried again at once
        self.assertIn("Sign-in", first)
        self.assertIn("Sign-in", second)
        self.assertTrue(any('"audit_entry"' in query for query in on_primary))
        self.assertEqual(len(logs.records), 1)
        self.assertNotIn("127.0.0.1", logs.output[0])

    def test_it_names_the_replica_in_the_health_check(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["replica"], "unreachable")
        self.assertIn("replica", response.json()["down"])


@skipUnless(connection.vendor == "postgresql", "a second connection to the same PostgreSQL")
class ReplicaRoutingTestCase(TransactionTestCase):
    """Committed rows (no test transaction), so the second connection sees them."""

    databases = {"default", db_router.REPLICA}

    @classmethod
    def setUpClass(cls) -> None:
        add_replica_alias()
        cls.addClassCleanup(remove_replica_alias)
        super().setUpClass()

    def setUp(self) -> None:
        result = services.bootstrap("Test org", "coordinator", PASSWORDS["coordinator"])
        self.coordinator = result.coordinator
        key = services.unlock_private_key(self.coordinator, PASSWORDS["coordinator"])
        self.ada = services.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], self.coordinator, key)

    def sign_in(self, staff: Staff) -> None:
        _device, seed = second_factor.enrol_totp(staff, confirmed=True)
        password = PASSWORDS[staff.username]
        self.client.post("/staff/login/", {"username": staff.username, "password": password})
        code = f"{totp(base64.b32decode(seed)):06d}"
        self.assertEqual(self.client.post("/staff/verify/", {"code": code}).status_code, 302)

    def test_it_reads_the_audit_listing_from_the_replica(self):
        self.sign_in(self.ada)
        with both_connections() as (primary, replica):
            response = self.client.get("/staff/audit/")
        self.assertContains(response, "Sign-in")
        self.assertTrue(any('"audit_entry"' in query for query in sql(replica)))
        self.assertFalse([q for q in sql(replica) if any(w in q for w in WRITES)])
        # The primary only restored the session and the staff member (before the view: a
        # session a moment old on the replica could sign them out), and saved the session.
        self.assertFalse([q for q in sql(primary) if '"audit_' in q])
        self.assertTrue(any('"django_session"' in q for q in sql(primary)))
        self.assertFalse([q for q in sql(replica) if '"django_session"' in q])

    def test_it_writes_the_statistics_audit_entry_to_the_primary(self):
        self.sign_in(self.coordinator)
        before = Entry.objects.count()
        with both_connections() as (primary, replica):
            response = self.client.get("/staff/reports/statistics/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(any('"intake_report"' in query for query in sql(replica)))
        self.assertFalse([q for q in sql(replica) if any(w in q for w in WRITES)])
        self.assertTrue(any(q.startswith('INSERT INTO "audit_') for q in sql(primary)))
        self.assertTrue(any("FOR UPDATE" in q for q in sql(primary)))  # the chain's head
        self.assertGreater(Entry.objects.count(), before)

    def test_it_reads_the_overview_from_the_replica_and_the_inbox_from_the_primary(self):
        self.sign_in(self.coordinator)
        with both_connections() as (_primary, replica):
            self.assertEqual(self.client.get("/staff/reports/overview/").status_code, 200)
        self.assertTrue(any('"intake_report"' in query for query in sql(replica)))
        with both_connections() as (_primary, replica):
            self.assertEqual(self.client.get("/staff/reports/").status_code, 200)
        self.assertEqual(sql(replica), [])
