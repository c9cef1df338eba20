from django.conf import settings
from django.core.cache import cache
from django.test import SimpleTestCase


class RedisCacheTestCase(SimpleTestCase):
    def setUp(self):
        if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
            self.skipTest("no Redis in this run (set REDIS_URL)")

    def test_it_reuses_one_client_per_pool(self):
        first = cache._cache.get_client(write=True)
        self.assertIs(cache._cache.get_client(write=True), first)

    def test_it_still_stores_adds_and_counts(self):
        cache.set("amanat-cache-test", 1, 10)
        self.assertFalse(cache.add("amanat-cache-test", 5, 10))
        self.assertEqual(cache.incr("amanat-cache-test"), 2)
        cache.delete("amanat-cache-test")
