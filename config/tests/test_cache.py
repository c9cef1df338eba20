from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.test import SimpleTestCase

# The Redis backend (config.cache.RedisCache) and its client, under the cache proxy.
redis_cache: Any = cache


@contextmanager
def commands_sent() -> Iterator[list]:
    """The Redis commands the cache sends inside the block (one per round trip)."""
    client = redis_cache._cache.get_client(write=True)
    sent: list = []
    original = client.execute_command

    def recorded(*args, **kw):
        sent.append(args[0])
        return original(*args, **kw)

    client.execute_command = recorded
    try:
        yield sent
    finally:
        del client.execute_command


class RedisCacheTestCase(SimpleTestCase):
    def setUp(self):
        if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
            self.skipTest("no Redis in this run (set REDIS_URL)")

    def test_it_reuses_one_client_per_pool(self):
        first = redis_cache._cache.get_client(write=True)
        self.assertIs(redis_cache._cache.get_client(write=True), first)

    def test_it_still_stores_adds_and_counts(self):
        cache.set("amanat-cache-test", 1, 10)
        self.assertFalse(cache.add("amanat-cache-test", 5, 10))
        self.assertEqual(cache.incr("amanat-cache-test"), 2)
        cache.delete("amanat-cache-test")

    def test_it_increments_in_one_round_trip(self):
        cache.set("amanat-cache-test", 1, 10)
        self.addCleanup(cache.delete, "amanat-cache-test")
        with commands_sent() as sent:
            self.assertEqual(cache.incr("amanat-cache-test", 4), 5)
        self.assertEqual(len(sent), 1)

    def test_it_refuses_to_increment_a_missing_key(self):
        cache.delete("amanat-cache-test")
        with self.assertRaises(ValueError):
            cache.incr("amanat-cache-test")
        self.assertIsNone(cache.get("amanat-cache-test"))

    def test_it_counts_in_a_window_in_one_round_trip(self):
        cache.delete("amanat-count")
        self.addCleanup(cache.delete, "amanat-count")
        with commands_sent() as sent:
            first = redis_cache.count("amanat-count", 60)
        self.assertEqual((first, len(sent)), (1, 1))
        self.assertEqual(redis_cache.count("amanat-count", 60), 2)
        client = redis_cache._cache.get_client(write=True)
        self.assertGreater(client.ttl(cache.make_key("amanat-count")), 0)
