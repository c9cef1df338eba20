"""The Celery app. Task messages carry opaque ids only (docs/THREAT_MODEL.md, section 5)."""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("amanat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs: object) -> None:
    """Workers and beat log through Django's LOGGING, with its filter that keeps request
    data out (config/log_filters.py). With a receiver here, Celery installs none of its
    own handlers on the root logger."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
