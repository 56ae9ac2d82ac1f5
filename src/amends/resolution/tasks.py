"""Background jobs of resolution: follow-up surveys out, and unanswered ones recorded."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from amends.core import clock
from amends.resolution import surveys


@db_periodic_task(crontab(minute="15"))
def follow_up_task() -> dict[str, int]:
    now = clock.now()
    return {
        "sent": surveys.schedule_follow_ups(now=now),
        "unanswered": surveys.record_unanswered(now=now),
    }
