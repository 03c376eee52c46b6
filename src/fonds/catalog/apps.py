from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fonds.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from fonds.catalog import signals  # noqa: F401  (connects the change-log handlers)
