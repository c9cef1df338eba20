"""The report row is its own outbox entry for the new-report notice, and pending
notices keep no time: sent notices are deleted instead of being stamped."""

from django.db import migrations, models


def move_new_report_notices(apps, schema_editor):
    Report = apps.get_model("intake", "Report")
    PendingNotice = apps.get_model("intake", "PendingNotice")
    unsent = PendingNotice.objects.filter(kind="new-report", dispatched_at=None)
    Report.objects.filter(id__in=unsent.values("subject")).update(announced=False)
    PendingNotice.objects.filter(kind="new-report").delete()
    PendingNotice.objects.exclude(dispatched_at=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_inbox_order"),
    ]

    operations = [
        # Reports stored before this migration were announced through the old outbox.
        migrations.AddField(
            model_name="report",
            name="announced",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(move_new_report_notices, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="report",
            name="announced",
            field=models.BooleanField(default=False, db_default=False),
        ),
        migrations.RemoveField(model_name="pendingnotice", name="created_at"),
        migrations.RemoveField(model_name="pendingnotice", name="dispatched_at"),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("announced", False)),
                fields=["id"],
                name="report_unannounced",
            ),
        ),
    ]
