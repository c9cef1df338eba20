"""Every report key wrapping says why its holder has it. Until now every wrapping was
made at submission (for the intake team and the recovery key), by an assignment, or
by a recovery grant; the audit log names the last two, so existing rows are marked
from it and the rest stay "intake". The holder's reverse name goes (no change in the
database)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def individual_grants_from_the_audit_log(apps, schema_editor):
    Entry = apps.get_model("audit", "Entry")
    Staff = apps.get_model("accounts", "Staff")
    ReportKey = apps.get_model("intake", "ReportKey")
    staff = {
        str(pk): (holder_id, role)
        for pk, holder_id, role in Staff.objects.values_list("pk", "holder_id", "role")
    }
    grants = Entry.objects.filter(
        models.Q(action="report.assigned") | models.Q(action="key.granted", actor="recovery")
    )
    for action, subjects in grants.values_list("action", "subjects").iterator():
        if len(subjects) != 2 or subjects[1] not in staff:
            continue
        holder_id, role = staff[subjects[1]]
        if action == "key.granted" and role == "intake":
            continue  # a recovery grant to intake staff is what intake receives anyway
        ReportKey.objects.filter(report_id=uuid.UUID(subjects[0]), holder_id=holder_id).update(
            reason="assigned"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_wrapped_key_reason"),
        ("audit", "0004_password_changed"),
        ("intake", "0006_used_form_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportkey",
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
            model_name="reportkey",
            name="holder",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.keyholder",
            ),
        ),
        migrations.RunPython(individual_grants_from_the_audit_log, migrations.RunPython.noop),
    ]
