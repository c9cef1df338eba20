# gunicorn settings for Amanat (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).
import gc

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

# No access log: even without addresses, a line per request would keep the time and
# language of every report and return visit, while a report itself keeps only its day.
# Errors are still logged.
bind = "127.0.0.1:8000"
workers = 3
worker_class = "sync"
timeout = 60
accesslog = None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
# Request bodies are never logged; keep the default log level.
loglevel = "info"


class RequestFreeLogger(Logger):
    """gunicorn's error log without the request: gunicorn quotes a request line or header
    it refuses ("Invalid request from ip=...: Invalid HTTP request line: 'GET /...'") and
    names the path of a request whose handling failed, so a visitor's words, the page and
    its time would reach the journal. The event is kept, its request left out."""

    def warning(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith("Invalid request from"):
            msg, args = "Invalid request refused (not quoted here)", ()
        super().warning(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith("Error handling request"):
            msg, args = "Error handling a request (its path is not logged)", ()
        super().exception(msg, *args, **kwargs)


logger_class = RequestFreeLogger


def post_worker_init(worker):
    """Django's modules, loaded once, never become garbage: moved out of the collector's
    sight, its full passes stop pausing a request for tens of milliseconds."""
    gc.freeze()
