"""Every report key wrapping says why its holder has it. Until now every wrapping was
made at submission (for the intake team and the recovery key), by an assignment, or
by a recovery grant; the audit log names the last two, so existing rows are marked
from it and the rest stay "intake". The holder's reverse name goes (no change in the
database)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def individual_grants_from_the_audit_log(apps, schema_editor):
    # Day-only entries (an assignment names a report) wait in audit_waiting until their
    # day is over, so both the chain and the waiting entries are read.
    logs = [apps.get_model("audit", "Entry"), apps.get_model("audit", "Waiting")]
    Staff = apps.get_model("accounts", "Staff")
    ReportKey = apps.get_model("intake", "ReportKey")
    staff = {
        str(pk): (holder_id, role)
        for pk, holder_id, role in Staff.objects.values_list("pk", "holder_id", "role")
    }
    wanted = models.Q(action="report.assigned") | models.Q(action="key.granted", actor="recovery")
    grants = [
        row for log in logs for row in log.objects.filter(wanted).values_list("action", "subjects")
    ]
    for action, subjects in grants:
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
        ("audit", "0006_day_only_entries_wait_for_their_day"),
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
