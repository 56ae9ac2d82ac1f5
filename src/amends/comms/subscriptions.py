"""Which timeline events start which jobs (after commit): new cases are acknowledged, and
queued emails are sent."""

from __future__ import annotations

from django.conf import settings

from amends.comms import selectors, tasks
from amends.core import timeline


def on_case_created(event_id: int) -> None:
    if settings.AMENDS_AUTO_ACKNOWLEDGE:
        tasks.acknowledge_created_case_task(event_id)


def on_email_queued(event_id: int) -> None:
    email_id = selectors.event_data(event_id).get("email")
    if isinstance(email_id, int):
        tasks.deliver_email_task(email_id)


def register() -> None:
    timeline.subscribe("case.created", on_case_created)
    timeline.subscribe("case.email_queued", on_email_queued)
