# gunicorn settings for Amanat (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).
import gc
import os

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

# No access log: even without addresses, a line per request would keep the time and
# language of every report and return visit, while a report itself keeps only its day.
# Errors are still logged.
# One host: 127.0.0.1:8000, behind nginx on the same machine. A web node that an nginx on
# another machine reaches: its private address (AMANAT_WEB_BIND in the settings file).
bind = os.environ.get("AMANAT_WEB_BIND", "127.0.0.1:8000")
workers = 3
worker_class = "sync"
timeout = 60
accesslog = None
errorlog = "-"
# gunicorn's own lines (start, stop, a worker's timeout) carry the day only, like the app's.
# Any logconfig_dict also switches on gunicorn's access logger, so it is given a handler
# that drops everything: still no line per request.
logconfig_dict = {
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "%Y-%m-%d",
            "class": "logging.Formatter",
        }
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": ["discard"], "propagate": False},
    },
}
# The nginx machines, as for Amanat's own client header (AMANAT_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("AMANAT_TRUSTED_PROXIES", "127.0.0.1,::1")
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
