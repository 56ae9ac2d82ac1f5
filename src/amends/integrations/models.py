from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from amends.integrations.domain import DeliveryStatus


class WebhookEndpoint(models.Model):
    """A receiver of signed case events.

    The secret is stored as it is (we need it to sign every delivery); it is not encrypted at rest,
    so database backups must be protected as the secret's owner would expect.
    """

    name = models.CharField(max_length=100, unique=True)
    url = models.CharField(max_length=500, help_text="https:// (http:// only to localhost)")
    secret = models.CharField(max_length=100)
    events = models.CharField(
        max_length=500,
        default="case.*",
        help_text="Event types, comma separated: case.created, case.resolved; case.* for all.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint; the body is kept so retries are identical."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.BigIntegerField()
    event_type = models.CharField(max_length=64)
    stream = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10,
        choices=[(s.value, s.value) for s in DeliveryStatus],
        default=DeliveryStatus.PENDING.value,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="integrations_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="integrations_delivery_due"),
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id}"


class IntakeLink(models.Model):
    """Which case another system's contact became: its own reference, kept for look-ups."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    external_reference = models.CharField(max_length=200, db_index=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.external_reference} -> case {self.case_id}"
