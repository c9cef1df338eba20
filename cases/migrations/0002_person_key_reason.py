"""Every person key wrapping says why its holder has it: "assigned" where the holder
was individually granted a report of that person, "intake" otherwise. The holder's
reverse name goes (no change in the database)."""

import django.db.models.deletion
from django.db import migrations, models


def as_their_reports(apps, schema_editor):
    PersonKey = apps.get_model("cases", "PersonKey")
    PersonReport = apps.get_model("cases", "PersonReport")
    ReportKey = apps.get_model("intake", "ReportKey")
    person_of = dict(PersonReport.objects.values_list("report_id", "person_id"))
    assigned = ReportKey.objects.filter(reason="assigned", report_id__in=list(person_of))
    for report_id, holder_id in assigned.values_list("report_id", "holder_id").iterator():
        PersonKey.objects.filter(person_id=person_of[report_id], holder_id=holder_id).update(
            reason="assigned"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_wrapped_key_reason"),
        ("cases", "0001_initial"),
        ("intake", "0007_report_key_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="personkey",
            name="reason",
            field=models.CharField(
                choices=[
                    ("intake", "Received as a member of the intake team"),
                    ("assigned", "Granted to this person: an assignment or a recovery grant"),
                    ("role", "Comes with the role"),
                ],
                default="intake",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="personkey",
            name="holder",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.keyholder",
            ),
        ),
        migrations.RunPython(as_their_reports, migrations.RunPython.noop),
    ]
