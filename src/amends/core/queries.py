"""Small query helpers shared by selectors and access checks."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def one(queryset: QuerySet[M]) -> M | None:
    """The row of a lookup on a unique key, or None.

    Unlike ``.first()`` it adds no ORDER BY, which for a unique key only costs query-building
    time (a noticeable share of a request on the hot paths).
    """
    return next(iter(queryset[:1]), None)
