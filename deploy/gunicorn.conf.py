# gunicorn settings for Amanat (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).
import gc

# No access log: even without addresses, a line per request would keep the time and
# language of every report and return visit, while a report itself keeps only its day.
# Errors are still logged.
bind = "127.0.0.1:8000"
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
forwarded_allow_ips = "127.0.0.1"
# Request bodies are never logged; keep the default log level.
loglevel = "info"


def post_worker_init(worker):
    """Django's modules, loaded once, never become garbage: moved out of the collector's
    sight, its full passes stop pausing a request for tens of milliseconds."""
    gc.freeze()
