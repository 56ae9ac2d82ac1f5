"""Background jobs for clocks: the sweep that warns and escalates."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from amends.core import clock
from amends.sla import services


@db_periodic_task(crontab(minute="*/5"))
def sweep_clocks_task() -> dict[str, int]:
    result = services.sweep(now=clock.now())
    return {"warned": result.warned, "breached": result.breached}


@db_task(retries=2, retry_delay=30)
def sweep_clocks_now_task() -> dict[str, int]:
    """The same sweep, on demand (``amends sweep --enqueue``, tests, operators)."""
    result = services.sweep(now=clock.now())
    return {"warned": result.warned, "breached": result.breached}
