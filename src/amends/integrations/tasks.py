"""Background jobs of integrations: sending webhook deliveries, and picking up overdue ones."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from amends.core import clock
from amends.integrations import selectors, services
from amends.integrations.domain import DeliveryStatus

# A pending delivery this long past its time has lost its queued retry (a worker restarted with
# an in-memory queue, or an operator reset it): the sweep sends it again.
OVERDUE_SECONDS = 600


@db_task()
def deliver_webhook_task(delivery_id: int) -> str | None:
    """Send one delivery. A failure that may be retried is retried by Huey after the delay the
    delivery records (``next_attempt_at``): the database, not the queue, counts the attempts."""
    now = clock.now()
    delivery = services.attempt_delivery(delivery_id=delivery_id, now=now)
    if delivery is None:
        return None
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at is not None:
        delay = max((delivery.next_attempt_at - now).total_seconds(), 1.0)
        raise RetryTask(f"delivery {delivery_id} answered {delivery.last_status_code}", delay=delay)
    return delivery.status


@db_periodic_task(crontab(minute="*/5"))
def send_overdue_webhooks_task() -> int:
    due = selectors.overdue_delivery_ids(now=clock.now(), overdue_seconds=OVERDUE_SECONDS)
    for delivery_id in due:
        deliver_webhook_task(delivery_id)
    return len(due)
