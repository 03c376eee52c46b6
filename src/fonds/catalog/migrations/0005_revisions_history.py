# History of every change to a document or an authority record (catalog.Revision).

import fonds.catalog.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_page_images_in_catalog'),
    ]

    operations = [
        migrations.CreateModel(
            name='Revision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(help_text='"document" or an authority kind ("person", ...).', max_length=16)),
                ('object_id', models.CharField(help_text="The document id, or the authority's key.", max_length=200)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('user', models.TextField(blank=True, default='', help_text='Who made the change (empty: the system).')),
                ('road', models.CharField(choices=[('ingest', 'Ingest'), ('harvest', 'Harvest'), ('admin', 'Admin'), ('api', 'Api'), ('workflow', 'Workflow'), ('bulk', 'Bulk'), ('restore', 'Restore'), ('embargo', 'Embargo'), ('cli', 'Cli')], max_length=16)),
                ('note', models.TextField(blank=True, default='')),
                ('created', models.BooleanField(default=False, help_text="The record's first version (its values are the snapshot's).")),
                ('changes', models.JSONField(default=dict, help_text='{key: [old value, new value]} for each key that changed.')),
                ('snapshot', fonds.catalog.fields.CompressedTextField(help_text="The record's JSON after the change.")),
            ],
            options={
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['kind', 'object_id', 'id'], name='revision_object')],
            },
        ),
    ]
