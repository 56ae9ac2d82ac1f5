"""Background jobs of the core: the nightly check of every timeline's hash chain."""

from __future__ import annotations

import logging

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amends.core import clock, timeline

log = logging.getLogger(__name__)

AUDIT_STREAM = "system:audit"


def verify_timeline() -> timeline.VerifyReport:
    """Verify every chain and record the result, good or bad, as an event of its own."""
    report = timeline.verify()
    with transaction.atomic():
        timeline.record_event(
            stream=AUDIT_STREAM,
            type="audit.verified" if report.ok else "audit.tampering_found",
            actor=None,
            now=clock.now(),
            data={
                "streams": report.streams,
                "events": report.events,
                "broken_streams": report.broken_streams[:500],
            },
        )
    if not report.ok:
        log.error("timeline tampering found in %s", ", ".join(report.broken_streams[:20]))
    return report


@db_task(retries=2, retry_delay=60)
def verify_timeline_task() -> bool:
    return verify_timeline().ok


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_timeline_check() -> None:
    verify_timeline()
