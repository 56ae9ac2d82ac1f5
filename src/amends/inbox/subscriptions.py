"""Which timeline events start mail-in jobs (after commit)."""

from __future__ import annotations

from amends.core import timeline
from amends.core.models import Event


def _rejected(event_id: int) -> None:
    from amends.inbox.tasks import send_rejection_notice_task

    data = Event.objects.get(pk=event_id).data
    # Over SMTP the sender's own server bounces the message; a polled mailbox has no one to.
    if data.get("source") == "imap" and data.get("answerable"):
        send_rejection_notice_task(data["inbound_email"])


def connect() -> None:
    timeline.subscribe("inbox.email_rejected", _rejected)
