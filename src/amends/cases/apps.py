from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "amends.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from amends.cases import dbobjects, seeds, selectors
        from amends.cases.models import Category, ComplaintDefinition
        from amends.core import database

        database.register(*dbobjects.OBJECTS)
        for model in (Category, ComplaintDefinition):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_reference_data,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"amends-forget-{model.__name__}-{signal}",
                )
        # After migrate, and after a test database is flushed.
        post_migrate.connect(
            lambda **kwargs: seeds.seed_reference_data(),
            sender=self,
            weak=False,
            dispatch_uid="amends-cases-seeds",
        )
