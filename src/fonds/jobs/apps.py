from django.apps import AppConfig


class Config(AppConfig):
    name = "fonds.jobs"
    label = "fonds_jobs"
    verbose_name = "Jobs"
