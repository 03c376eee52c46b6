from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class Config(AppConfig):
    name = "fonds.jobs"
    label = "fonds_jobs"
    verbose_name = gettext_lazy("Jobs")
