from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommsConfig(AppConfig):
    name = "amends.comms"
    label = "comms"
    verbose_name = "Communication"

    def ready(self) -> None:
        from amends.comms import seeds, subscriptions

        subscriptions.register()
        # After migrate, and after a test database is flushed.
        post_migrate.connect(
            seeds.seed_templates, sender=self, weak=False, dispatch_uid="amends-comms-seeds"
        )
