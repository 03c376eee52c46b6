from django.apps import AppConfig


class Config(AppConfig):
    name = "fonds.oai"
    label = "fonds_oai"
