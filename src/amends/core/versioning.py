"""Optimistic locking: a change names the version it was based on, or it changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from amends.core import statements
from amends.core.errors import StaleVersionError
from amends.core.models import VersionedModel


def save_if_current(
    obj: VersionedModel, *, expected_version: int, now: datetime, changes: dict[str, Any]
) -> None:
    """Write ``changes`` only if the row is still at ``expected_version``; bump the version."""
    model = type(obj)
    pk_name = model._meta.pk.name if model._meta.pk is not None else "id"
    rows = statements.update_where(
        model,
        where={pk_name: obj.pk, "version": expected_version},
        values={**changes, "updated_at": now},
        increment=("version",),
    )
    if rows != 1:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersionError(
            f"This record has changed since version {expected_version} (it is now at version "
            f"{current}). Reload it and make your change again.",
            fields={"version": f"stale: current version is {current}"},
            current_version=current,
        )
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = expected_version + 1
    obj.updated_at = now
