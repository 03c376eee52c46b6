from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class Config(AppConfig):
    name = "fonds.api"
    label = "fonds_api"
    verbose_name = gettext_lazy("API")
