from django.db import migrations, models


class Migration(migrations.Migration):
    """A password reset is named as one in the log (it was recorded as key.revoked)."""

    dependencies = [
        ("audit", "0004_password_changed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="action",
            field=models.CharField(choices=[('organisation.created', 'Organisation Created'), ('staff.created', 'Staff Created'), ('staff.role-changed', 'Role Changed'), ('staff.password-reset', 'Password Reset'), ('login', 'Login'), ('login.failed', 'Login Failed'), ('logout', 'Logout'), ('key.unlocked', 'Key Unlocked'), ('key.granted', 'Key Granted'), ('key.revoked', 'Key Revoked'), ('passkey.registered', 'Passkey Registered'), ('passkey.removed', 'Passkey Removed'), ('password.changed', 'Password Changed'), ('report.received', 'Report Received'), ('report.opened', 'Report Opened'), ('inbox.viewed', 'Inbox Viewed'), ('report.assigned', 'Report Assigned'), ('message.sent', 'Message Sent'), ('person.created', 'Person Created'), ('person.linked', 'Person Linked'), ('person.opened', 'Person Opened'), ('person.status-recorded', 'Status Recorded'), ('person.note-added', 'Note Added'), ('attachment.downloaded', 'Attachment Downloaded'), ('report.consent-changed', 'Consent Changed'), ('report.withdrawn', 'Report Withdrawn'), ('report.shredded', 'Report Shredded'), ('export', 'Export')], max_length=64),  # noqa: E501
        ),
    ]
