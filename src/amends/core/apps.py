from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "amends.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from amends.core import database, dbobjects

        database.register(*dbobjects.OBJECTS)
        # Once, after every migrate, for every app's registered objects.
        post_migrate.connect(
            database.post_migrate_handler(),
            sender=self,
            weak=False,
            dispatch_uid="amends-db-objects",
        )
