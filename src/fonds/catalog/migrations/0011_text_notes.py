"""Text layers keep their footnotes (number, place in the body, text): the record's `texts[].notes`."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0010_curator_queue_and_merges'),
    ]

    operations = [
        migrations.AddField(
            model_name='textlayer',
            name='notes',
            field=models.JSONField(blank=True, default=list, help_text='Footnotes: [{n, at (offset in body), body}].'),
        ),
    ]
