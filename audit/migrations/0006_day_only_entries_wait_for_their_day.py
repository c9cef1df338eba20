"""Day-only entries wait in audit_waiting until their day is over (audit.chain).

On PostgreSQL a trigger refuses to change a waiting row, and lets one be deleted
only once an entry with the same content is in the chain, so the application's
database role cannot quietly drop a reporter's action before it is chained.
"""

import uuid
from django.db import migrations, models

GUARD = """
CREATE OR REPLACE FUNCTION audit_waiting_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'waiting audit entries cannot be changed';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM audit_entry e
         WHERE e.action = OLD.action AND e.created_at = OLD.created_at
           AND e.actor = OLD.actor AND e.subjects = OLD.subjects
    ) THEN
        RAISE EXCEPTION 'a waiting audit entry leaves only into the chain';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_waiting_guard
    BEFORE UPDATE OR DELETE ON audit_waiting
    FOR EACH ROW EXECUTE FUNCTION audit_waiting_guard();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS audit_waiting_guard ON audit_waiting;
DROP FUNCTION IF EXISTS audit_waiting_guard();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_password_reset_action'),
    ]

    operations = [
        migrations.CreateModel(
            name='Waiting',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField()),
                ('actor', models.CharField(max_length=64)),
                ('action', models.CharField(choices=[('organisation.created', 'Organisation Created'), ('staff.created', 'Staff Created'), ('staff.role-changed', 'Role Changed'), ('login', 'Login'), ('login.failed', 'Login Failed'), ('logout', 'Logout'), ('key.unlocked', 'Key Unlocked'), ('key.granted', 'Key Granted'), ('key.revoked', 'Key Revoked'), ('passkey.registered', 'Passkey Registered'), ('passkey.removed', 'Passkey Removed'), ('password.changed', 'Password Changed'), ('report.received', 'Report Received'), ('report.opened', 'Report Opened'), ('inbox.viewed', 'Inbox Viewed'), ('report.assigned', 'Report Assigned'), ('message.sent', 'Message Sent'), ('person.created', 'Person Created'), ('person.linked', 'Person Linked'), ('person.opened', 'Person Opened'), ('person.status-recorded', 'Status Recorded'), ('person.note-added', 'Note Added'), ('attachment.downloaded', 'Attachment Downloaded'), ('report.consent-changed', 'Consent Changed'), ('report.withdrawn', 'Report Withdrawn'), ('report.shredded', 'Report Shredded'), ('export', 'Export')], max_length=64)),
                ('subjects', models.JSONField(default=list)),
            ],
            options={
                'verbose_name_plural': 'waiting entries',
            },
        ),
        migrations.AddIndex(
            model_name='entry',
            index=models.Index(fields=['action', 'created_at', 'actor', 'subjects'], name='audit_entry_content'),
        ),
        migrations.RunPython(_on_postgresql(GUARD), _on_postgresql(UNGUARD)),
    ]
