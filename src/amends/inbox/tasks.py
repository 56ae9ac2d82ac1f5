"""Background jobs of mail in: poll the mailbox, and tell senders of refused email."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from amends.core import clock
from amends.inbox import imap, services


@db_periodic_task(crontab(minute="*"))
def poll_mailbox_task() -> dict[str, int]:
    """Every minute, when a mailbox is configured (AMENDS_IMAP_HOST)."""
    if not settings.AMENDS_IMAP_HOST:
        return {}
    with lock_task("inbox-poll"):  # one poll at a time, however many workers run
        return imap.poll(imap.MailboxSettings.from_settings()).as_dict()


@db_task(retries=3, retry_delay=60)
def send_rejection_notice_task(inbound_id: int) -> bool:
    return services.send_rejection_notice(inbound_id=inbound_id, now=clock.now())
