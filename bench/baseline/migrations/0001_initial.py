from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="PlainReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("data", models.JSONField()),
                ("received_on", models.DateField(auto_now_add=True)),
            ],
        ),
    ]
