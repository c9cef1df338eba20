"""Notifications keep the day they were made, not the time: a new-report notice is
made within seconds of the report, which itself keeps only its day."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import TruncDate


def keep_the_day(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.update(created_on=TruncDate("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_lockout_backup_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="created_on",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.RunPython(keep_the_day, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="created_at"),
        migrations.AlterModelOptions(
            name="notification",
            options={"ordering": ["-created_on", "-id"]},
        ),
    ]
