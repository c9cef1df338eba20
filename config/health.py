"""/healthz: whether the database and the broker answer. No personal data."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


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


@never_cache
@require_GET
def healthz(request):
    db = database_ok()
    body = {"database": "ok" if db else "unreachable", "broker": broker_state()}
    # The site cannot serve without its database; a broker outage only delays
    # notices, which are kept and sent later.
    return JsonResponse(body, status=200 if db else 503)
