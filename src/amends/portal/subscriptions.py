"""Which timeline events of the portal start which tasks (after commit)."""

from __future__ import annotations

from amends.core import timeline
from amends.core.models import Event
from amends.portal import links, tasks


def _send_link(event_id: int) -> None:
    data = Event.objects.filter(pk=event_id).values_list("data", flat=True).first()
    if data and data.get("link"):
        tasks.send_sign_in_link_task(int(data["link"]))


def register() -> None:
    timeline.subscribe(links.LINK_ISSUED, _send_link)
