"""Amanat on several machines, played by processes on this one: a PostgreSQL primary and a
hot standby of it (pg_basebackup -R, streaming), Redis for the cache, RabbitMQ as the
broker, one Celery worker, two gunicorn nodes behind Amanat's own nginx (deploy/nginx/
rendered, AMANAT_UPSTREAMS naming both nodes). Reporters and staff arrive through the onion
entrance, each its own Tor circuit; the health check through the clear web, from here.

Reporters keep submitting through nginx while one node is killed: no report is lost, no
receipt lacks its report, and the only errors are the killed node's requests in flight.
The staff pages that may be a moment old read from the standby, and from the primary when
the standby is down.
"""

from __future__ import annotations

import json
import threading
import time
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from celery import Celery
from kombu import Connection

from tests import servers
from tests.deploy import cluster, edge

pytestmark = pytest.mark.slow

CLIENTS = 20
LOAD_SECONDS = 30.0
KILL_AFTER = LOAD_SECONDS / 2
QUEUE = f"amanat-cluster-test-{uuid.uuid4().hex[:8]}"


@dataclass
class Load:
    receipts: list[str] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)
    given_up: int = 0
    resent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def reporter(client: cluster.Reporter, stop_at: float, load: Load) -> None:
    """Submit forms until stop_at, as fast as the site answers. A send that fails is sent
    again, the same form (same one-time id), as a reporter pressing the button again."""
    while time.monotonic() < stop_at:
        try:
            body = client.form()
        except Exception as error:  # noqa: BLE001 - any failure is counted, then tried again
            with load.lock:
                load.errors.append((time.monotonic(), f"form page: {error}"))
            time.sleep(0.2)
            continue
        for attempt in range(10):
            try:
                status, page = client.send(body)
            except Exception as error:  # noqa: BLE001
                status, page = 0, type(error).__name__
            receipts = cluster.RECEIPT.findall(page)
            if status == 200 and len(receipts) == 1:
                with load.lock:
                    load.receipts.append(receipts[0].replace(" ", ""))
                    load.resent += attempt > 0
                break
            with load.lock:
                load.errors.append((time.monotonic(), f"send: {status}"))
            time.sleep(0.2)
        else:
            with load.lock:
                load.given_up += 1


class ClusterTestCase(unittest.TestCase):
    primary: servers.PostgresCluster
    standby: cluster.PostgresStandby
    nodes: list[servers.Gunicorn]
    nginx: edge.Nginx
    seeds: dict[str, str]

    @classmethod
    def setUpClass(cls) -> None:
        for why in (servers.missing_tools(), edge.missing_tools(), cluster.rabbitmq_missing()):
            if why:
                raise AssertionError(f"{why}; the cluster test needs it")
        cls.primary = servers.PostgresCluster()
        cls.addClassCleanup(cls.primary.close)
        cls.standby = cluster.PostgresStandby(cls.primary)
        cls.addClassCleanup(cls.standby.close)
        redis = servers.RedisServer().start()
        cls.addClassCleanup(redis.close)
        storage = Path(servers.tempfile.mkdtemp(prefix="amanat-sealed-"))
        cls.addClassCleanup(servers.shutil.rmtree, storage, True)
        env = servers.app_environment(cls.primary.url(), redis.url, str(storage))
        env.update(
            CELERY_BROKER_URL=cluster.RABBITMQ_URL,
            AMANAT_CELERY_QUEUE=QUEUE,
            DATABASE_REPLICA_URL=cls.standby.url(),
            # Django imported once per node, not once per worker: a faster start.
            GUNICORN_CMD_ARGS="--preload",
            # The names nginx passes on (Host), and the onion's origin for the forms.
            ALLOWED_HOSTS=f"{edge.HOST},{edge.ONION}",
            CSRF_TRUSTED_ORIGINS=f"http://{edge.ONION}",
            # The limits are not what is tested here: each client is a circuit of its own,
            # but sends far more reports in 30 s than a reporter may.
            INTAKE_SUBMISSIONS_PER_MINUTE="1000000",
            INTAKE_SUBMISSIONS_PER_HOUR="1000000",
        )
        cls.seeds = cluster.prepare_database(env)
        cls.addClassCleanup(cls._delete_queue)
        worker = cluster.Worker(env)
        cls.addClassCleanup(worker.close)
        with ThreadPoolExecutor(2) as pool:
            cls.nodes = list(pool.map(lambda _: servers.Gunicorn(env, workers=2), range(2)))
        for node in cls.nodes:
            cls.addClassCleanup(cluster.close_node, node)
        # amanat.conf balances them: round robin, and a node that refuses or drops a
        # connection is skipped (proxy_next_upstream), except for a POST already sent to
        # it, which may have been stored.
        cls.nginx = edge.Nginx([node.port for node in cls.nodes])
        cls.addClassCleanup(cls.nginx.close)

    @classmethod
    def _delete_queue(cls) -> None:
        with Connection(cluster.RABBITMQ_URL, connect_timeout=2) as conn:
            channel = conn.default_channel
            channel.queue_delete(QUEUE)
            channel.exchange_delete(QUEUE)

    def on(self, database: servers.PostgresCluster, sql: str, *args: object) -> object:
        with psycopg.connect(database.url(), autocommit=True) as db:
            row = db.execute(sql, args).fetchone()
        assert row is not None
        return row[0]

    def health(self) -> tuple[int, str]:
        answer = edge.Visitor(self.nginx.https).request("GET", "/healthz")
        return answer.status, json.loads(answer.body)["replica"]

    def reports_on(self, database: servers.PostgresCluster) -> int:
        return int(self.on(database, "SELECT count(*) FROM intake_report"))  # type: ignore[call-overload]

    def standby_caught_up(self) -> bool:
        lsn = self.on(self.primary, "SELECT pg_current_wal_lsn()::text")
        return bool(self.on(self.standby, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn))

    def test_it_loses_no_report_when_a_web_node_is_killed_under_load(self):
        before = self.reports_on(self.primary)
        load = Load()
        start = time.monotonic()
        stop_at = start + LOAD_SECONDS
        threads = [
            threading.Thread(target=reporter, args=(cluster.Reporter(self.nginx, n), stop_at, load))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(KILL_AFTER)
        killed_at = time.monotonic()
        cluster.kill_node(self.nodes[1])
        for thread in threads:
            thread.join(LOAD_SECONDS + 60)
        elapsed = time.monotonic() - start
        stored = self.reports_on(self.primary) - before
        print(  # noqa: T201 - the figures docs/SCALING.md quotes
            f"\ncluster: {len(load.receipts)} reports in {elapsed:.1f} s "
            f"({len(load.receipts) / elapsed:.1f}/s) by {CLIENTS} clients; "
            f"{len(load.errors)} errors, {load.resent} forms sent again"
        )
        self.assertGreater(len(load.receipts), CLIENTS)
        self.assertEqual(load.given_up, 0)
        self.assertEqual(len(set(load.receipts)), len(load.receipts))
        self.assertEqual(stored, len(load.receipts))  # no report without its receipt
        # Every receipt opens its report (through the surviving node).
        opens = cluster.Reporter(self.nginx, CLIENTS).receipt_opener()
        with ThreadPoolExecutor(4) as pool:
            opened = list(pool.map(opens, load.receipts))
        self.assertEqual(opened.count(False), 0)
        # Errors: only the requests the killed node held, at the moment it died: a send
        # (nginx never sends a POST again), or a form page it was sending when it died
        # (nginx sends a GET to the other node only before the answer has begun).
        late = [(round(at - killed_at, 2), what) for at, what in load.errors]
        self.assertTrue(all(0 <= at < 3 for at, _ in late), late)
        self.assertLessEqual(len(load.errors), CLIENTS)
        in_flight = ("send", "form page: IncompleteRead")
        self.assertTrue(all(what.startswith(in_flight) for _, what in load.errors), late)
        # The standby received every report.
        cluster.wait_for(self.standby_caught_up, "the standby's replay")
        self.assertEqual(self.reports_on(self.standby), self.reports_on(self.primary))

    def test_it_reads_the_staff_pages_from_the_standby_while_the_primary_takes_writes(self):
        coordinator = cluster.Staff(self.nginx, 100, "coordinator", self.seeds["coordinator"])
        auditor = cluster.Staff(self.nginx, 101, "ada", self.seeds["ada"])
        self.assertIn("Sign-in", auditor.get("/staff/audit/"))
        self.assertIn("<h1>Statistics", coordinator.get("/staff/reports/statistics/"))
        self.assertEqual(self.health(), (200, "ok"))
        ids = "SELECT string_agg(id::text, ',') FROM intake_report"
        known = set(str(self.on(self.primary, ids) or "").split(","))
        # The standby stops replaying: a report stored now is on the primary only.
        self.on(self.standby, "SELECT pg_wal_replay_pause()::text")
        try:
            reporter = cluster.Reporter(self.nginx, 102)
            status, _page = reporter.send(reporter.form())
            self.assertEqual(status, 200)
            (new,) = set(str(self.on(self.primary, ids)).split(",")) - known
            # The overview shows the newest 500 by day: dated tomorrow, the new report
            # heads it wherever its id falls, so its absence means the page read the
            # paused standby, not that it fell below the 500th row.
            self.on(
                self.primary,
                "UPDATE intake_report SET received_on = current_date + 1 "
                "WHERE id = %s RETURNING 'ok'",
                new,
            )
            self.assertNotIn(new[:8], coordinator.get("/staff/reports/overview/"))
        finally:
            self.on(self.standby, "SELECT pg_wal_replay_resume()::text")
        cluster.wait_for(self.standby_caught_up, "the standby's replay")
        self.assertIn(new[:8], coordinator.get("/staff/reports/overview/"))
        # With the standby down, the same pages read from the primary.
        self.standby.stop()
        try:
            self.assertIn(new[:8], coordinator.get("/staff/reports/overview/"))
            self.assertIn("Sign-in", auditor.get("/staff/audit/"))
            self.assertEqual(self.health(), (503, "unreachable"))
        finally:
            self.standby.start()

    def test_it_runs_a_task_sent_through_rabbitmq_on_the_worker(self):
        session = uuid.uuid4().hex
        with psycopg.connect(self.primary.url(), autocommit=True) as db:
            db.execute(
                "INSERT INTO django_session (session_key, session_data, expire_date) "
                "VALUES (%s, '', now() - interval '1 day')",
                (session,),
            )
        sender = Celery(broker=cluster.RABBITMQ_URL)
        try:
            sender.send_task("accounts.tasks.clear_expired_sessions", queue=QUEUE)
        finally:
            sender.close()
        gone = "SELECT count(*) = 0 FROM django_session WHERE session_key = %s"
        cluster.wait_for(lambda: self.on(self.primary, gone, session), "the expired session")
