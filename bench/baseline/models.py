"""The benchmark's reference: the same form saved as one plain row. Never installed
outside bench/ (bench/settings.py adds it)."""

from django.db import models


class PlainReport(models.Model):
    data = models.JSONField()
    received_on = models.DateField(auto_now_add=True)

    # Declared: the app is installed only under bench/settings.py, so type checks
    # (on config.settings) cannot find its manager.
    objects: models.Manager["PlainReport"] = models.Manager()

    def __str__(self) -> str:
        return f"plain report {self.pk}"
