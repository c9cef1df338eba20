"""Read back what the cache holds, whichever backend runs (local memory or Redis)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache


def cache_contents() -> list[tuple[str, bytes]]:
    proxy: Any = cache  # the backend's own store, whichever backend it is
    backend = proxy._cache
    if isinstance(backend, dict):  # local memory
        return [("cache", repr(k).encode() + bytes(v)) for k, v in backend.items()]
    client = backend.get_client(write=False)  # Redis: every key of its database
    contents = []
    for key in client.scan_iter("*"):
        kind = client.type(key)
        if kind == b"string":
            contents.append((f"redis {key!r}", key + client.get(key)))
        elif kind == b"list":
            contents.append((f"redis {key!r}", key + b"".join(client.lrange(key, 0, -1))))
        else:
            contents.append((f"redis {key!r}", key))
    return contents
