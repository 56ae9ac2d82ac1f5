"""Which timeline events trigger which integration tasks (after commit)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from amends.core import clock, timeline
from amends.integrations import selectors, services, tasks
from amends.integrations.models import WebhookEndpoint


def send_case_event(event_id: int) -> None:
    """Queue a delivery of a case event to each matching active webhook endpoint."""
    if not selectors.any_active_endpoint():  # the usual case: no reads at all
        return
    for delivery_id in services.queue_deliveries(event_id=event_id, now=clock.now()):
        tasks.deliver_webhook_task(delivery_id)


def connect() -> None:
    timeline.subscribe("case.*", send_case_event)
    post_save.connect(selectors.forget_active_endpoints, sender=WebhookEndpoint)
    post_delete.connect(selectors.forget_active_endpoints, sender=WebhookEndpoint)
