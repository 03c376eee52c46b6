"""Documents keep their declassification: release status, review and release dates, exemption codes and
the passages withheld from the released text (the record's `declassification` key)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_authority_names_clean'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='declassification',
            field=models.JSONField(blank=True, default=dict, help_text="The record's declassification (status, review, withheld passages)."),
        ),
    ]
