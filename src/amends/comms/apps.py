from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "amends.comms"
    label = "comms"
    verbose_name = "Communication"
