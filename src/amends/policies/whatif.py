"""What-if deadlines: a pack's due dates for a given receipt and later events. Used by
``amends deadlines`` and ``POST /api/v1/policies/{pack}/deadlines``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from amends.core.errors import ValidationError
from amends.policies.packs import get_pack
from amends.sla.calendars import calendar_for
from amends.sla.domain import ClockEvent, Nation, Occurrence, check_extension

# The events a what-if may name besides receipt.
WHATIF_EVENTS = (
    ClockEvent.ACKNOWLEDGED,
    ClockEvent.ESCALATED,
    ClockEvent.ESCALATION_ACKNOWLEDGED,
    ClockEvent.PAUSED,
    ClockEvent.RESUMED,
    ClockEvent.RESPONDED,
    ClockEvent.RESOLVED,
)


def deadlines(
    *,
    pack_id: str,
    received: datetime,
    nation: Nation = Nation.ENGLAND,
    events: Iterable[tuple[ClockEvent, datetime]] = (),
    extensions: Mapping[str, int] | None = None,
    closures: Iterable[date] = (),
) -> dict[str, Any]:
    pack = get_pack(pack_id)
    calendar = calendar_for(nation, closures=closures)
    occurrences = [Occurrence(ClockEvent.RECEIVED, received)]
    for event, at in events:
        if event not in WHATIF_EVENTS:
            raise ValidationError(
                f"{event.value} is not an event a what-if can name.",
                fields={"events": f"one of {', '.join(e.value for e in WHATIF_EVENTS)}"},
            )
        if at < received:
            raise ValidationError(
                f"{event.value} cannot happen before the receipt.",
                fields={event.value: "before received"},
            )
        occurrences.append(Occurrence(event, at))
    for rule_id, amount in (extensions or {}).items():
        check_extension(pack.rule(rule_id), amount)
    results = pack.deadlines_for(occurrences, calendar, dict(extensions or {}))
    return {
        "pack": pack.id,
        "nation": nation.value,
        "deadlines": [
            {
                "id": d.rule.id,
                "title": d.rule.title,
                "due": d.due.isoformat() if d.due else None,
                "basis": d.basis,
                "source": d.rule.source,
                "verified": d.rule.verified,
            }
            for d in results
        ],
    }


def parse_event(text: str) -> tuple[ClockEvent, datetime]:
    """``acknowledged=2026-11-03T10:00:00+00:00`` -> the event and its time."""
    name, sep, when = text.partition("=")
    if not sep:
        raise ValidationError(f"{text!r} should look like EVENT=ISO8601.", fields={"at": text})
    try:
        event = ClockEvent(name.strip())
    except ValueError:
        raise ValidationError(
            f"Unknown event {name!r}.",
            fields={"at": f"one of {', '.join(e.value for e in WHATIF_EVENTS)}"},
        ) from None
    return event, parse_time(when, field=name)


def parse_time(text: str, *, field: str = "received") -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"{text!r} is not an ISO 8601 time.", fields={field: "e.g. 2026-11-02T09:30:00+00:00"}
        ) from None
    if moment.tzinfo is None:
        raise ValidationError(
            f"{text!r} has no time zone.", fields={field: "add an offset such as +00:00 or Z"}
        )
    return moment
