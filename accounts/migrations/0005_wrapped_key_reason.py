"""Every wrapped key says why its holder has it (accounts.models.Reason); the index
key comes with a role. The holder's reverse name goes: wrappings are reached only
through accounts.keyring (no change in the database)."""

import django.db.models.deletion
from django.db import migrations, models


def index_keys_come_with_the_role(apps, schema_editor):
    apps.get_model("accounts", "OrganisationKey").objects.update(reason="role")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_must_change_password"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisationkey",
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
            model_name="organisationkey",
            name="holder",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.keyholder",
            ),
        ),
        migrations.RunPython(index_keys_come_with_the_role, migrations.RunPython.noop),
    ]
