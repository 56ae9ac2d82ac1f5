"""Which timeline events trigger which integration tasks (after commit)."""

from __future__ import annotations

from amends.core import clock, timeline
from amends.integrations import services, tasks


def send_case_event(event_id: int) -> None:
    """Queue a delivery of a case event to each matching active webhook endpoint."""
    for delivery_id in services.queue_deliveries(event_id=event_id, now=clock.now()):
        tasks.deliver_webhook_task(delivery_id)


def connect() -> None:
    timeline.subscribe("case.*", send_case_event)
