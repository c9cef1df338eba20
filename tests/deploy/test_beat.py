"""Beat on several machines: only the one holding the lock in Redis sends the periodic
tasks; a standby takes over when the holder goes silent, and the old holder stops.

Two schedulers in this process stand for two machines' beats (each with its own
schedule file), against a Redis of the test's own that is both the lock's home and the
broker the tasks are sent to.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import mock

import redis
from django.test import SimpleTestCase, override_settings

from config import beat
from config.celery import app
from tests import servers
from tests.tasks import celery_conf

QUEUE = "amanat-beat-test"
SCHEDULE = {"sweep": {"task": "accounts.tasks.clear_expired_sessions", "schedule": 0.5}}


def sent(scheduler: beat.SingleBeatScheduler) -> int:
    return sum(entry.total_run_count for entry in scheduler.schedule.values())


class SingleBeatTestCase(SimpleTestCase):
    def setUp(self) -> None:
        if why := servers.missing_tools():
            self.fail(f"{why}; `make test` needs it")
        self.redis = servers.RedisServer().start()
        self.addCleanup(self.redis.close)
        folder = Path(tempfile.mkdtemp(prefix="amanat-beat-"))
        self.addCleanup(shutil.rmtree, folder, True)
        self.folder = folder
        for context in (
            override_settings(REDIS_URL=self.redis.url),
            celery_conf(
                broker_url=self.redis.url,
                task_always_eager=False,
                task_default_queue=QUEUE,
                beat_schedule=SCHEDULE,
            ),
            mock.patch.object(beat, "LOCK_SECONDS", 2.0),
        ):
            context.__enter__()
            self.addCleanup(context.__exit__, None, None, None)

    def scheduler(self, name: str) -> beat.SingleBeatScheduler:
        scheduler = beat.SingleBeatScheduler(app, schedule_filename=str(self.folder / name))
        self.addCleanup(scheduler.close)
        return scheduler

    def tick(self, schedulers: list[beat.SingleBeatScheduler], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for scheduler in schedulers:
                scheduler.tick()
            time.sleep(0.1)

    def queued(self) -> int:
        return self.store().llen(QUEUE)

    def store(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis.url)

    def test_it_takes_the_lock_as_the_beat_unit_runs_it_and_lets_go_when_stopped(self):
        env = servers.app_environment("sqlite:////nonexistent", self.redis.url, str(self.folder))
        schedule = self.folder / "beat-schedule"
        # The beat unit's own command line, its schedule in this test's folder.
        unit = (servers.ROOT / "deploy/systemd/amanat-beat.service.in").read_text()
        (command,) = re.findall(r"^ExecStart=\S+/bin/celery (.*)$", unit, re.MULTILINE)
        self.assertIn("--scheduler config.beat:SingleBeatScheduler", command)
        args = command.replace("%t/amanat-beat/schedule", str(schedule)).split()
        process = subprocess.Popen(
            [str(servers.VENV_BIN / "celery"), *args],
            env=env,
            cwd=servers.ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            while not self.store().exists(beat.LOCK_NAME):
                self.assertIsNone(process.poll(), "beat stopped")
                self.assertLess(time.monotonic(), deadline, "beat never took the lock")
                time.sleep(0.1)
            os.killpg(process.pid, signal.SIGTERM)
            _, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.assertIn(b"This beat now sends the periodic tasks.", err)
        self.assertFalse(self.store().exists(beat.LOCK_NAME))  # released on the way out

    def test_it_sends_from_one_beat_and_hands_over_when_it_goes_silent(self):
        first, second = self.scheduler("first"), self.scheduler("second")
        self.tick([first, second], 2.0)
        self.assertTrue(first.holding)
        self.assertFalse(second.holding)
        self.assertGreater(sent(first), 0)
        self.assertEqual(sent(second), 0)
        self.assertEqual(self.queued(), sent(first))
        # The first machine stops (no release): the second waits out the lock, then sends.
        stopped_at = time.monotonic()
        while not second.holding:
            self.assertLess(time.monotonic() - stopped_at, 2.0 + 2.0, "no hand-over")
            self.tick([second], 0.1)
        self.assertGreater(time.monotonic() - stopped_at, 1.0)  # not before the lock ran out
        self.tick([second], 1.5)
        self.assertGreater(sent(second), 0)
        # The first comes back: it finds its lock gone and sends nothing more.
        before = sent(first)
        self.tick([first, second], 1.0)
        self.assertFalse(first.holding)
        self.assertEqual(sent(first), before)
        self.assertEqual(self.queued(), sent(first) + sent(second))

    def test_a_beat_that_stops_cleanly_hands_over_at_once(self):
        first = self.scheduler("first")
        self.tick([first], 0.3)
        first.close()
        second = self.scheduler("second")
        self.tick([second], 0.1)
        self.assertTrue(second.holding)

    def test_no_beat_sends_while_redis_is_down(self):
        first = self.scheduler("first")
        self.tick([first], 0.5)
        self.assertTrue(first.holding)
        self.redis.kill()
        with self.assertLogs("config.beat", "WARNING"):
            first.tick()
        self.assertFalse(first.holding)
        before = sent(first)
        self.tick([first], 1.0)
        self.assertEqual(sent(first), before)
