from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "amends.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from amends.integrations import subscriptions

        subscriptions.connect()
