from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fonds.web"
    label = "web"
    verbose_name = "Reading room"
