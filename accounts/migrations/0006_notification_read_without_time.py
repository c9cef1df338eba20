"""A notification says whether it was read, not when: the first read of a new-report
notice follows the report by minutes, and the report keeps only its day."""

from django.db import migrations, models


def keep_only_whether(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.exclude(read_at=None).update(read=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_wrapped_key_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="read",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(keep_only_whether, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="read_at"),
    ]
