from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fonds.catalog"
    label = "catalog"
    verbose_name = "Catalog"
