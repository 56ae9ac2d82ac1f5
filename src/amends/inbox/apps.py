from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "amends.inbox"
    label = "inbox"
    verbose_name = "Email in"

    def ready(self) -> None:
        from amends.inbox import subscriptions

        subscriptions.connect()
