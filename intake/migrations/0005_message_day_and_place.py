"""Messages keep the day they were sent and their place in the thread, not the time:
a reporter's message would otherwise date their return visit to the second."""

import django.utils.timezone
from django.db import migrations, models


def number_the_threads(apps, schema_editor):
    Message = apps.get_model("intake", "Message")
    place: dict = {}
    for message in Message.objects.order_by("report_id", "created_at", "id"):
        place[message.report_id] = place.get(message.report_id, 0) + 1
        message.number = place[message.report_id]
        message.sent_on = django.utils.timezone.localdate(message.created_at)
        message.save(update_fields=["number", "sent_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="sent_on",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.AddField(
            model_name="message",
            name="number",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_the_threads, migrations.RunPython.noop),
        migrations.AlterModelOptions(name="message", options={"ordering": ["number"]}),
        migrations.RemoveField(model_name="message", name="created_at"),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                fields=("report", "number"), name="one_message_per_place"
            ),
        ),
    ]
