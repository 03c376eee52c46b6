from django.apps import AppConfig


class Config(AppConfig):
    name = "fonds.iiif"
    label = "fonds_iiif"
