"""Page images move from the IIIF app into the catalog (state only: the table stays as it is)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("catalog", "0003_compress_text_layers"), ("fonds_iiif", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="PageImage",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("position", models.PositiveIntegerField(help_text="1 for the first page.")),
                    ("path", models.TextField(help_text="File path relative to the archive's media folder.")),
                    ("width", models.PositiveIntegerField()),
                    ("height", models.PositiveIntegerField()),
                    ("label", models.TextField(blank=True, default="")),
                    ("document", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="page_images",
                                                   to="catalog.document")),
                ],
                options={
                    "db_table": "fonds_iiif_pageimage",
                    "ordering": ["document", "position"],
                    "constraints": [models.UniqueConstraint(fields=("document", "position"), name="page_image_position_once")],
                },
            ),
        ]),
    ]
