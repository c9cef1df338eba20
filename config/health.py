"""/healthz: whether the database, the cache and the broker answer, and whether sealed
storage takes a write. No personal data.

Any of them down answers 503 and names it, so a monitor sees an outage even while
the site keeps accepting reports (limits then count per process, notices wait).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from config import db_router
from intake import storage


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def replica_state() -> str:
    """ "ok", "unreachable", or "none" without a replica (DATABASE_REPLICA_URL unset). Its
    pages then read from the primary, but the standby is not following it either."""
    if not db_router.replica_configured():
        return "none"
    try:
        with connections[db_router.REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return "unreachable"


def cache_state() -> str:
    """ "ok", "unreachable", or "none" for the in-process cache (embedded default)."""
    ping = getattr(cache, "ping", None)
    if ping is None:  # not Redis (config.cache.RedisCache)
        return "none"
    try:
        return "ok" if ping() else "unreachable"
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return "unreachable"


def broker_state() -> str:
    """ "ok", "unreachable", or "none" when tasks run in-process (embedded default)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "none"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return "unreachable"


def storage_state() -> str:
    """ "ok" when sealed storage takes a small write and its removal (a file flushed to
    disk in the local folder; an object put and deleted in the bucket, with short
    timeouts); "unreachable" when it is read-only, full, missing or does not answer."""
    try:
        storage.probe()
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "cannot store attachments"
        return "unreachable"


@never_cache
@require_GET
def healthz(request):
    body: dict[str, str | list[str]] = {
        "database": "ok" if database_ok() else "unreachable",
        "replica": replica_state(),
        "cache": cache_state(),
        "broker": broker_state(),
        "storage": storage_state(),
    }
    down = sorted(name for name, state in body.items() if state == "unreachable")
    body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
