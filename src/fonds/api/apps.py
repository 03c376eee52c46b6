from django.apps import AppConfig


class Config(AppConfig):
    name = "fonds.api"
    label = "fonds_api"
