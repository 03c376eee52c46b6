from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CatalogConfig(AppConfig):
    name = "fonds.catalog"
    label = "catalog"
    verbose_name = gettext_lazy("Catalog")

    def ready(self) -> None:
        from fonds.catalog import signals  # noqa: F401  (connects the change-log handlers)
