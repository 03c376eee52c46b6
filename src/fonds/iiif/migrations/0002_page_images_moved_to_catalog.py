"""Page images now belong to the catalog (`catalog.PageImage`, same table): state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("fonds_iiif", "0001_initial"), ("catalog", "0004_page_images_in_catalog")]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="PageImage")])]
