"""Persistence for the timeline (append-only events in per-stream hash chains)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from amends.core.errors import ConflictError

APPEND_ONLY = "timeline events are append-only: they cannot be changed or deleted"


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ConflictError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise ConflictError(APPEND_ONLY)


class Event(models.Model):
    """One change, as it happened. ``stream`` names what changed (``case:C-2026-000001``)."""

    stream = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="core_event_stream_seq_uniq")
        ]
        indexes = [models.Index(fields=["type", "occurred_at"], name="core_event_type_at_idx")]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConflictError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ConflictError(APPEND_ONLY)


class StreamHead(models.Model):
    """The last event of each stream, so that removing the newest event is noticed too."""

    stream = models.CharField(max_length=64, primary_key=True)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.stream}@{self.seq}"


class Counter(models.Model):
    """Named gap-free counters for public references (``case:2026``, ``customer``)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class VersionedModel(models.Model):
    """Rows that users edit: ``version`` rises with each change and guards against lost updates."""

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
