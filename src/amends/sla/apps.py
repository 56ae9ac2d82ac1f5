from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "amends.sla"
    label = "sla"
    verbose_name = "Service levels and clocks"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from amends.sla.models import ServiceLevelPolicy
        from amends.sla.services import forget_service_levels

        for signal in (post_save, post_delete):
            signal.connect(forget_service_levels, sender=ServiceLevelPolicy, weak=False)
