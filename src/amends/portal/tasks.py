"""Background jobs of the portal: emailing sign-in links."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from amends.core import clock
from amends.portal import links


@db_task(retries=2, retry_delay=30)
def send_sign_in_link_task(link_id: int) -> bool:
    return links.send_link(link_id=link_id, now=clock.now())
