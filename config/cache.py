"""Django's Redis cache, keeping one client per connection pool, with a one-trip incr.

Django builds a new redis.Redis object (and its table of reply handlers) for every
cache operation, which costs more CPU than the operation itself. Clients are
thread-safe, so one per pool is enough. Django's incr asks whether the key exists,
then increments: two round trips on every rate-limit count; a server-side script
does both in one, and counting in a window (rate limits) is one script too.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = client.eval(_INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError("no such key")  # the key itself stays out of messages
        return value


# Count one in a window: the counter expires with its window.
_COUNT = """
local count = redis.call('incr', KEYS[1])
if count == 1 then
    redis.call('expire', KEYS[1], ARGV[1])
end
return count
"""


# Increment only a key that exists (Django's incr raises ValueError otherwise).
_INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then
    return redis.call('incrby', KEYS[1], ARGV[1])
end
return nil
"""


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count(self, key: str, window: int) -> int:
        """In one round trip: add one to `key` and return it; a new counter expires
        `window` seconds after it was started."""
        client = self._cache.get_client(write=True)
        return client.eval(_COUNT, 1, self.make_and_validate_key(key), window)

    def ping(self) -> bool:
        """Whether Redis answers (for /healthz); raises when it cannot be reached."""
        return bool(self._cache.get_client(write=True).ping())
