from django.apps import AppConfig


class Config(AppConfig):
    name = "fonds.staff"
    label = "fonds_staff"
    verbose_name = "Staff"
