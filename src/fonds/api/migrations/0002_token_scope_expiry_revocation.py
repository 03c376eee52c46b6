from django.db import migrations, models


class Migration(migrations.Migration):
    """Token scopes (read/write), expiry and revocation. Tokens made before keep writing and never expire."""

    dependencies = [
        ("fonds_api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=[("read", "read"), ("write", "read and write")], default="write", max_length=8),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(blank=True, help_text="Empty: valid until revoked.", null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
