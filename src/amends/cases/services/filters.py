"""A handler's saved queue filters. Preferences, not case records: no timeline events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from amends.cases.models import SavedFilter
from amends.core.errors import ValidationError

if TYPE_CHECKING:
    from amends.accounts.models import User


@transaction.atomic
def save_filter(
    *, owner: User, name: str, params: dict[str, list[str]], now: datetime
) -> SavedFilter:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the filter a name.", fields={"name": "required"})
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(owner=owner, name=name, params=params, created_at=now)
    except IntegrityError:
        raise ValidationError(
            f"You already have a filter called {name!r}.", fields={"name": "already used"}
        ) from None


@transaction.atomic
def delete_filter(*, saved: SavedFilter) -> None:
    saved.delete()
