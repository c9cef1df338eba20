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
forwarded_allow_ips = "127.0.0.1"
# Request bodies are never logged; keep the default log level.
loglevel = "info"


def post_worker_init(worker):
    """Django's modules, loaded once, never become garbage: moved out of the collector's
    sight, its full passes stop pausing a request for tens of milliseconds."""
    gc.freeze()
