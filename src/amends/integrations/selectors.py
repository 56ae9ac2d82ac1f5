"""Read queries of integrations: customers matched by another system's id, deliveries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from amends.core.localcache import LocalCache
from amends.customers.models import Customer
from amends.integrations.domain import DeliveryStatus
from amends.integrations.models import WebhookDelivery, WebhookEndpoint

ENDPOINTS_CACHE_SECONDS = 5
_endpoints: LocalCache[bool] = LocalCache(ENDPOINTS_CACHE_SECONDS)


def any_active_endpoint() -> bool:
    """Whether any webhook endpoint is active. Every case event asks, so the answer is kept
    for a few seconds; a change to an endpoint clears it in this process (others see it within
    ``ENDPOINTS_CACHE_SECONDS``)."""
    return _endpoints.get_or_set(
        "any", lambda: WebhookEndpoint.objects.filter(active=True).exists()
    )


def forget_active_endpoints(**_: object) -> None:
    _endpoints.clear()


def find_customer_by_external_id(external_id: str) -> Customer | None:
    value = external_id.strip()
    if not value:
        return None
    return Customer.objects.filter(external_id=value).order_by("id").first()


def list_deliveries(
    *, status: str | None = None, endpoint: str | None = None
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.select_related("endpoint").order_by("-id")
    if status:
        deliveries = deliveries.filter(status=status)
    if endpoint:
        deliveries = deliveries.filter(endpoint__name=endpoint)
    return deliveries


def overdue_delivery_ids(*, now: datetime, overdue_seconds: int, limit: int = 500) -> list[int]:
    cutoff = now - timedelta(seconds=overdue_seconds)
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING.value, next_attempt_at__lte=cutoff
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
