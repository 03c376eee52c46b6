"""Edition volume and number, and the archival file, of a document as indexed columns the database
computes from `source_parts` (filled for existing rows as the columns are added)."""

import django.db.models.fields.json
import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0011_text_notes'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='archival_unit',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(django.db.models.functions.text.Trim(django.db.models.fields.json.KeyTextTransform('file', 'source_parts')), models.Value('', output_field=models.TextField())), django.db.models.functions.comparison.NullIf(django.db.models.functions.text.Trim(django.db.models.fields.json.KeyTextTransform('delo', 'source_parts')), models.Value('', output_field=models.TextField())), django.db.models.functions.comparison.NullIf(django.db.models.functions.text.Trim(django.db.models.fields.json.KeyTextTransform('folder', 'source_parts')), models.Value('', output_field=models.TextField())), django.db.models.functions.comparison.NullIf(django.db.models.functions.text.Trim(django.db.models.fields.json.KeyTextTransform('lot', 'source_parts')), models.Value('', output_field=models.TextField()))), output_field=models.TextField(blank=True, null=True)),
        ),
        migrations.AddField(
            model_name='document',
            name='edition_number',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.fields.json.KeyTextTransform('document', 'source_parts'), output_field=models.TextField(blank=True, null=True)),
        ),
        migrations.AddField(
            model_name='document',
            name='edition_volume',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.fields.json.KeyTextTransform('volume', 'source_parts'), output_field=models.TextField(blank=True, null=True)),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['edition_volume', 'edition_number'], name='document_edition'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['edition_volume', 'type'], name='document_edition_type'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['repository', 'archival_unit'], name='document_archival_unit'),
        ),
    ]
