from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save


def _forget_tokens(sender: Any, instance: Any, **kwargs: Any) -> None:
    from amends.accounts.models import User
    from amends.accounts.services import forget_cached_tokens

    if isinstance(instance, User):
        forget_cached_tokens(instance)


class AccountsConfig(AppConfig):
    name = "amends.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from amends.accounts.models import User

        # A user's role, teams or active flag changed: no cached token may answer for the old.
        post_save.connect(_forget_tokens, sender=User, dispatch_uid="amends-forget-tokens")
        m2m_changed.connect(
            _forget_tokens, sender=User.teams.through, dispatch_uid="amends-forget-tokens-teams"
        )
