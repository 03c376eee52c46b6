"""Text layers stored compressed (see fonds.catalog.fields): copies each body into a compressed
column, then puts that column in the old one's place. Reversible."""

from django.db import migrations, models

import fonds.catalog.fields

CHUNK = 500


def _copy(apps, source: str, target: str) -> None:
    layers = apps.get_model("catalog", "TextLayer")
    ids = list(layers.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        rows = list(layers.objects.filter(pk__in=ids[start:start + CHUNK]))
        for row in rows:
            setattr(row, target, getattr(row, source))
        layers.objects.bulk_update(rows, [target])


def compress(apps, schema_editor) -> None:
    _copy(apps, "body", "packed")


def expand(apps, schema_editor) -> None:
    _copy(apps, "packed", "body")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_findings_and_curated_values")]

    operations = [
        migrations.AddField("textlayer", "packed", fonds.catalog.fields.CompressedTextField(null=True)),
        # Nullable for the way back, where the old column is re-added empty before it is refilled.
        migrations.AlterField("textlayer", "body", models.TextField(null=True)),
        migrations.RunPython(compress, expand),
        migrations.RemoveField("textlayer", "body"),
        migrations.RenameField("textlayer", "packed", "body"),
        migrations.AlterField("textlayer", "body", fonds.catalog.fields.CompressedTextField()),
    ]
