"""The Celery app. Task messages carry opaque ids only (DESIGN §3)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("amanat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
