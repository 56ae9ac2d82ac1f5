"""What every case service shares: versioned saves and events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from amends.cases.models import Case
from amends.core import clock, timeline
from amends.core.errors import StaleVersionError
from amends.core.models import Event
from amends.core.versioning import save_if_current
from amends.sla import services as sla_services

if TYPE_CHECKING:
    from amends.accounts.models import User


def _stale(case: Case, expected_version: int, exc: StaleVersionError) -> StaleVersionError:
    last = Event.objects.filter(stream=case.stream).order_by("-seq").first()
    if last is not None:
        when = last.occurred_at.astimezone(clock.local_zone()).strftime("%d %b %Y %H:%M")
        exc.message = (
            f"Case {case.reference} was changed by {last.actor_label} at {when} "
            f"({last.type}) since you opened version {expected_version}. "
            "Reload it and make your change again; nothing was saved."
        )
        exc.args = (exc.message,)
        exc.details["changed_by"] = last.actor_label
    return exc


def ensure_current(case: Case, *, expected_version: int) -> None:
    """Refuse early when the caller's copy (``expected_version``) is older than ``case`` as
    this request read it; each save then checks the row is still at that version under lock,
    so a change made in between is refused there."""
    current = case.version
    if current != expected_version:
        raise _stale(
            case,
            expected_version,
            StaleVersionError(
                f"Case {case.reference} is at version {current}, not {expected_version}.",
                fields={"version": f"stale: current version is {current}"},
                current_version=current,
            ),
        )


def save_case(case: Case, *, expected_version: int, now: datetime, changes: dict[str, Any]) -> None:
    """Save with the optimistic lock; a stale version names who changed the case, and when."""
    try:
        save_if_current(case, expected_version=expected_version, now=now, changes=changes)
    except StaleVersionError as exc:
        raise _stale(case, expected_version, exc) from None


def record(
    case: Case,
    type: str,
    *,
    actor: User | None,
    now: datetime,
    data: dict[str, Any],
    new_stream: bool = False,
    actor_label: str | None = None,
) -> Event:
    event = timeline.record_event(
        stream=case.stream,
        type=type,
        actor=actor,
        now=now,
        data=data,
        new_stream=new_stream,
        actor_label=actor_label,
    )
    # A new case's clocks are set by create_case, before it takes its reference.
    if type in sla_services.CLOCK_EVENT_TYPES:
        sla_services.refresh_clocks(case=case, now=now)
    return event
