"""Clocks on cases: computed from the case's events inside the transaction of each change that
matters, written only where they changed; deadlines extended within a pack's cap."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from amends.core import statements, timeline
from amends.core.errors import PolicyViolationError, ValidationError
from amends.core.localcache import LocalCache
from amends.core.models import Event
from amends.core.queries import Prepared
from amends.policies.packs import get_pack
from amends.sla.calendars import calendar_for
from amends.sla.domain import (
    BusinessCalendar,
    Deadline,
    Nation,
    ServiceLevel,
    Target,
    Unit,
    check_extension,
    choose_service_levels,
    compute,
    occurrences_from,
)
from amends.sla.models import CaseClock, ServiceLevelPolicy

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


# The case events that start, pause, resume or stop a clock.
CLOCK_EVENT_TYPES = (
    "case.acknowledged",
    "case.investigation_started",
    "case.solution_proposed",
    "case.escalated",
    "case.paused",
    "case.resumed",
    "case.resolved",
    "case.closed",
    "case.withdrawn",
    "case.kind_changed",
    "case.message_sent",
    "case.details_changed",
)
SERVICE_LEVEL_PACK = "service-level"


def organisation_calendar() -> BusinessCalendar:
    opens, _, closes = settings.AMENDS_WORKING_HOURS.partition("-")
    return _calendar(
        settings.AMENDS_NATION,
        tuple(settings.AMENDS_CLOSURES),
        settings.TIME_ZONE,
        opens.strip(),
        closes.strip(),
    )


@lru_cache(maxsize=8)
def _calendar(
    nation: str, closures: tuple[str, ...], zone: str, opens: str, closes: str
) -> BusinessCalendar:
    """One calendar per configuration (settings change only in tests), built once."""
    return calendar_for(
        Nation(nation),
        closures=[date.fromisoformat(d) for d in closures],
        zone=zone,
        opens=time.fromisoformat(opens),
        closes=time.fromisoformat(closes),
    )


def _warn_on(started: date | None, due: date | None) -> date | None:
    if started is None or due is None:
        return None
    span = (due - started).days
    return started + timedelta(days=int(span * settings.AMENDS_WARN_AT_SHARE))


# What a refresh may change on a clock (``extended_by`` is changed only by an extension).
COMPUTED_FIELDS = (
    "title",
    "source",
    "verified",
    "basis",
    "started_on",
    "due_on",
    "due_at",
    "paused",
    "warn_on",
    "stopped_at",
    "met",
    "breached_at",
    "warned_at",
)


def _fill(
    clock: CaseClock, deadline: Deadline, calendar: BusinessCalendar, now: datetime
) -> list[str]:
    """Set the clock from ``deadline``; the names of the fields that changed (all of them
    for a new clock). ``updated_at`` moves only when something did."""
    before = [getattr(clock, f) for f in COMPUTED_FIELDS]
    rule = deadline.rule
    clock.title, clock.source, clock.verified = rule.title, rule.source, rule.verified
    clock.basis = deadline.basis[:300]
    clock.started_on, clock.due_on, clock.due_at = deadline.started, deadline.due, deadline.due_at
    clock.paused = deadline.started is not None and deadline.due is None
    clock.warn_on = _warn_on(deadline.started, deadline.due)
    clock.stopped_at = deadline.stopped_at
    if deadline.stopped_at and deadline.due_at:
        clock.met = deadline.stopped_at <= deadline.due_at
    elif deadline.stopped_at and deadline.due:
        clock.met = calendar.local_date(deadline.stopped_at) <= deadline.due
    else:
        clock.met = None
    if clock.pk and clock.due_on and clock.breached_at and clock.due_on >= calendar.local_date(now):
        # A restarted "next update" clock, or an extended deadline: a new chance to be on time.
        clock.breached_at = None
        clock.warned_at = None
    changed = [
        f for f, old in zip(COMPUTED_FIELDS, before, strict=True) if getattr(clock, f) != old
    ]
    if changed or clock.pk is None:
        clock.updated_at = now
        changed.append("updated_at")
    return changed


SERVICE_LEVELS_CACHE_SECONDS = 5
_service_levels: LocalCache[list[ServiceLevel]] = LocalCache(SERVICE_LEVELS_CACHE_SECONDS)


def active_service_levels() -> list[ServiceLevel]:
    """The organisation's active service levels. Every case change that moves a clock asks, so
    they are kept for a few seconds; a change to a policy clears them in this process (other
    processes see it within ``SERVICE_LEVELS_CACHE_SECONDS``)."""
    return _service_levels.get_or_set("active", _read_service_levels)


def _read_service_levels() -> list[ServiceLevel]:
    return [
        ServiceLevel(
            name=p.name,
            target=Target(p.target),
            count=p.count,
            unit=Unit(p.unit),
            kind=p.kind,
            priority=p.priority,
            severity=p.severity,
            category=p.category,
            segment=p.segment,
            pausable=p.pausable,
            position=p.position,
        )
        for p in ServiceLevelPolicy.objects.filter(active=True)
    ]


def forget_service_levels(**_: object) -> None:
    _service_levels.clear()


def service_levels_for(case: Case) -> list[ServiceLevel]:
    levels = active_service_levels()
    if not levels:
        return []
    facts: dict[str, object] = {
        "kind": case.kind,
        "priority": case.priority,
        "severity": case.severity,
        "category": case.category.slug if case.category_id and case.category else "",
        "segment": case.customer.segment if case.customer_id else "",
    }
    return choose_service_levels(levels, facts)


# What every clock refresh reads: the case's clock events, and its clocks.
_CLOCK_HISTORY: Prepared[tuple[str, datetime]] = Prepared(
    lambda stream: (
        Event.objects.filter(stream=stream, type__in=CLOCK_EVENT_TYPES)
        .order_by("seq")
        .values_list("type", "occurred_at")
    ),
    stream=str,
)
_CLOCKS_OF_CASE: Prepared[CaseClock] = Prepared(
    lambda case_id: CaseClock.objects.filter(case_id=case_id), case_id=int
)


def _plan(
    case: Case,
    now: datetime,
    history: list[tuple[str, datetime]],
    existing: dict[tuple[str, str], CaseClock],
) -> tuple[list[tuple[CaseClock, list[str]]], date | None]:
    """Each clock the case should have, with the fields that change (all, for a new one), and
    the earliest due date of a running clock. ``existing`` keeps the clocks no longer due."""
    calendar = organisation_calendar()
    occurrences = occurrences_from(case.received_at, history)
    changes: list[tuple[CaseClock, list[str]]] = []

    def keep(clock: CaseClock, deadline: Deadline) -> None:
        changes.append((clock, _fill(clock, deadline, calendar, now)))

    for pack_id in settings.AMENDS_POLICY_PACKS:
        pack = get_pack(pack_id)
        if case.kind not in pack.kinds:
            continue
        extensions = {
            rule_id: c.extended_by for (p, rule_id), c in existing.items() if p == pack.id
        }
        for deadline in pack.deadlines_for(occurrences, calendar, extensions):
            rule = deadline.rule
            held = existing.pop((pack.id, rule.id), None)
            keep(held or CaseClock(case=case, pack=pack.id, rule=rule.id), deadline)
    for level in service_levels_for(case):
        key = (SERVICE_LEVEL_PACK, level.target.value)
        own = existing.pop(key, None) or CaseClock(
            case=case, pack=SERVICE_LEVEL_PACK, rule=level.target.value
        )
        keep(own, compute(level.rule(), occurrences, calendar))
    running = [c.due_on for c, _ in changes if c.due_on and c.stopped_at is None]
    return changes, min(running) if running else None


def new_case_clocks(*, case: Case, now: datetime) -> list[CaseClock]:
    """The clocks of a case not yet saved, and its ``next_due_on`` set from them: worked out
    before the case takes its reference, so that the counter's lock is held for less."""
    changes, case.next_due_on = _plan(case, now, [], {})
    return [clock for clock, _ in changes]


def save_new_clocks(clocks: list[CaseClock]) -> None:
    """Insert the clocks from :func:`new_case_clocks` once their case is saved."""
    statements.insert_all(clocks)


def refresh_clocks(*, case: Case, now: datetime) -> list[CaseClock]:
    """Bring the case's clocks up to date with its events; keep ``case.next_due_on`` the
    earliest due date of a running clock. Call inside the transaction of the change. Only
    clocks that changed are written."""
    history = _CLOCK_HISTORY.all(stream=case.stream)
    existing = {(c.pack, c.rule): c for c in _CLOCKS_OF_CASE.all(case_id=case.pk)}
    changes, next_due = _plan(case, now, history, existing)
    statements.insert_all([clock for clock, _ in changes if clock.pk is None])
    for clock, fields in changes:
        if clock.pk is not None and fields:
            statements.update_where(
                CaseClock, where={"id": clock.pk}, values={f: getattr(clock, f) for f in fields}
            )
    if existing:  # clocks of a pack, kind or service level that no longer applies
        CaseClock.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    if next_due != case.next_due_on:
        statements.update_where(type(case), where={"id": case.pk}, values={"next_due_on": next_due})
        case.next_due_on = next_due
    return [clock for clock, _ in changes]


@transaction.atomic
def extend_deadline(
    *,
    case: Case,
    pack_id: str,
    rule_id: str,
    amount: int,
    reason: str,
    notice_items: Sequence[str],
    actor: User | None,
    now: datetime,
) -> CaseClock:
    """Extend one of the case's deadlines, within the pack's cap (all extensions together), and
    only with a notice to the customer that says what the pack requires."""
    rule = get_pack(pack_id).rule(rule_id)
    clock = (
        CaseClock.objects.select_for_update().filter(case=case, pack=pack_id, rule=rule_id).first()
    )
    if clock is None:
        raise ValidationError(
            f"Case {case.reference} has no {pack_id} {rule_id} deadline.",
            fields={"rule": "not a deadline of this case"},
        )
    if clock.stopped_at is not None:
        raise ValidationError(
            f"The {rule.title.lower()} deadline has already stopped.", fields={"rule": "stopped"}
        )
    if not reason.strip():
        raise ValidationError("Say why the deadline is extended.", fields={"reason": "required"})
    check_extension(rule, clock.extended_by + amount)
    assert rule.extension is not None  # check_extension refuses rules without one
    missing = [i for i in rule.extension.notice_items if i not in set(notice_items)]
    if missing:
        raise PolicyViolationError(
            "The notice of the extension must include: "
            f"{', '.join(m.replace('_', ' ') for m in missing)} ({rule.source}).",
            missing=missing,
        )
    clock.extended_by += amount
    clock.save(update_fields=["extended_by"])
    timeline.record_event(
        stream=case.stream,
        type="clock.extended",
        actor=actor,
        now=now,
        data={
            "pack": pack_id,
            "rule": rule_id,
            "extension": amount,
            "extended_by": clock.extended_by,
            "reason": reason.strip(),
            "notice_items": sorted(set(notice_items)),
        },
    )
    refresh_clocks(case=case, now=now)
    clock.refresh_from_db()
    return clock
