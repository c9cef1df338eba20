"""The benchmark's reference: the same form saved as one plain row. Never installed
outside bench/ (bench/settings.py adds it)."""

from django.db import models


class PlainReport(models.Model):
    data = models.JSONField()
    received_on = models.DateField(auto_now_add=True)

    def __str__(self) -> str:
        return f"plain report {self.pk}"
