from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "amends.integrations"
    label = "integrations"
    verbose_name = "Integrations"
