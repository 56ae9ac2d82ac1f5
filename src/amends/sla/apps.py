from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "amends.sla"
    label = "sla"
    verbose_name = "Service levels and clocks"
