"""Deadline arithmetic on business calendars. Pure rules: no Django, no I/O, no clock reads.

A due date is the last local date on which the action is still on time. Every rule counts from
the local date of its start event (the day of receipt, of acknowledgement, ...):

- ``working_days`` / ``business_days``: the Nth working day *after* the start date (the start
  day itself is never counted, whether or not it is a working day);
- ``calendar_days`` / ``calendar_weeks``: the start date plus N days (7N for weeks);
- ``calendar_months``: the same day of the month N months on, or that month's last day when it
  has no such day (the ICO method), moved to the next working day where the rule says so.

Pauses (where a rule allows them) push the due date back by the time the clock stood still:
working days for working-day rules, calendar days for the others. Extensions add to the count,
up to the rule's cap.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from amends.core.errors import ValidationError


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    BUSINESS_DAYS = "business_days"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_WEEKS = "calendar_weeks"
    CALENDAR_MONTHS = "calendar_months"
    WORKING_HOURS = "working_hours"


WORKING_UNITS = frozenset({Unit.WORKING_DAYS, Unit.BUSINESS_DAYS})


class Nation(StrEnum):
    """UK nations, whose bank holidays differ."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


class ClockEvent(StrEnum):
    """What starts, pauses, resumes or stops a clock."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"
    ESCALATION_ACKNOWLEDGED = "escalation_acknowledged"
    PAUSED = "paused"
    RESUMED = "resumed"
    RESPONDED = "responded"
    UPDATED = "updated"  # the customer was sent a message
    RESOLVED = "resolved"
    CLOSED = "closed"


@dataclass(frozen=True)
class BusinessCalendar:
    """Working weekdays (Monday is 0), closed dates (bank holidays and the organisation's own
    closures), and the zone in which a day is a day."""

    closed: frozenset[date] = frozenset()
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    zone: str = "Europe/London"
    opens: time = time(9, 0)
    closes: time = time(17, 0)

    def _open_span(self, day: date) -> tuple[datetime, datetime]:
        zone = ZoneInfo(self.zone)
        return (
            datetime.combine(day, self.opens, tzinfo=zone),
            datetime.combine(day, self.closes, tzinfo=zone),
        )

    def add_working_time(self, start: datetime, span: timedelta) -> datetime:
        """The instant ``span`` of opening time after ``start`` (counted only while open on
        working days). A start outside opening hours counts from the next opening."""
        if self.closes <= self.opens:
            raise ValidationError("A calendar's closing time must be after its opening time.")
        left = span
        day = self.local_date(start)
        moment = start.astimezone(ZoneInfo(self.zone))
        while True:
            if self.is_working_day(day):
                opens, closes = self._open_span(day)
                begin = max(moment, opens)
                if begin < closes:
                    if begin + left <= closes:
                        return begin + left
                    left -= closes - begin
            day += timedelta(days=1)
            moment = datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(self.zone))

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Opening time on working days between two instants."""
        total = timedelta()
        day = self.local_date(start)
        while day <= self.local_date(end):
            if self.is_working_day(day):
                opens, closes = self._open_span(day)
                begin, finish = max(start, opens), min(end, closes)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        if not self.weekdays:
            raise ValidationError("A calendar needs at least one working weekday.")
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: date, count: int) -> date:
        day = start
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``[start, end)``."""
        days, day = 0, start
        while day < end:
            days += self.is_working_day(day)
            day += timedelta(days=1)
        return days

    def local_date(self, moment: datetime) -> date:
        if moment.tzinfo is None:
            raise ValidationError(
                "Times need a time zone.", fields={"time": "give an offset, e.g. +00:00"}
            )
        return moment.astimezone(ZoneInfo(self.zone)).date()


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


@dataclass(frozen=True)
class Extension:
    """How far a deadline may be extended, and what the notice to the customer must say."""

    cap: int
    unit: Unit
    notice_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    title: str
    count: int
    unit: Unit
    start: ClockEvent = ClockEvent.RECEIVED
    stop: tuple[ClockEvent, ...] = ()
    pausable: bool = False
    roll_to_working_day: bool = False
    extension: Extension | None = None
    source: str = ""
    verified: bool = True
    effective_from: date | None = None
    effective_to: date | None = None
    note: str = ""
    # Events that start the clock again (a "next update" target runs from the latest one).
    restart: tuple[ClockEvent, ...] = ()

    def in_force(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


def due_date(
    rule: DeadlineRule,
    start: date,
    calendar: BusinessCalendar,
    *,
    extra: int = 0,
    paused_days: int = 0,
) -> date:
    """When ``rule`` falls due if its clock started on local date ``start``. ``extra`` adds an
    extension in the rule's own unit (checked against the cap by :func:`check_extension`);
    ``paused_days`` adds the days the clock stood still (working days for working-day rules),
    before any move to a working day."""
    count = rule.count
    if rule.unit in WORKING_UNITS:
        return calendar.add_working_days(start, count + extra + paused_days)
    if rule.unit is Unit.WORKING_HOURS:  # from the start day's opening
        opening = datetime.combine(start, calendar.opens, tzinfo=ZoneInfo(calendar.zone))
        span = timedelta(hours=count + extra)
        return calendar.local_date(calendar.add_working_time(opening, span))
    if rule.unit is Unit.CALENDAR_MONTHS:
        due = add_months(start, count + extra)
    elif rule.unit is Unit.CALENDAR_WEEKS:
        due = start + timedelta(weeks=count + extra)
    else:
        due = start + timedelta(days=count + extra)
    due += timedelta(days=paused_days)
    return calendar.on_or_after(due) if rule.roll_to_working_day else due


def check_extension(rule: DeadlineRule, amount: int) -> None:
    if rule.extension is None:
        raise ValidationError(
            f"The {rule.id} deadline cannot be extended.", fields={"extension": "not allowed"}
        )
    if amount <= 0:
        raise ValidationError("An extension must be positive.", fields={"extension": "> 0"})
    if amount > rule.extension.cap:
        raise ValidationError(
            f"The {rule.id} deadline can be extended by at most {rule.extension.cap} "
            f"{rule.extension.unit.value.replace('_', ' ')}.",
            fields={"extension": f"at most {rule.extension.cap}"},
        )


@dataclass(frozen=True)
class Occurrence:
    event: ClockEvent
    at: datetime


@dataclass(frozen=True)
class Deadline:
    rule: DeadlineRule
    due: date | None  # None: its start event has not happened yet
    started: date | None
    due_at: datetime | None = None  # for working-hours rules: the instant it falls due
    paused_days: int = 0
    extended_by: int = 0
    basis: str = ""
    stopped_at: datetime | None = None


def _pauses(
    occurrences: Sequence[Occurrence], after: datetime
) -> list[tuple[datetime, datetime | None]]:
    spans: list[tuple[datetime, datetime | None]] = []
    open_at: datetime | None = None
    for o in occurrences:
        if o.at < after:
            continue
        if o.event is ClockEvent.PAUSED and open_at is None:
            open_at = o.at
        elif o.event is ClockEvent.RESUMED and open_at is not None:
            spans.append((open_at, o.at))
            open_at = None
    if open_at is not None:
        spans.append((open_at, None))
    return spans


def compute(
    rule: DeadlineRule,
    occurrences: Iterable[Occurrence],
    calendar: BusinessCalendar,
    *,
    extended_by: int = 0,
) -> Deadline:
    """The deadline of ``rule`` given what has happened so far."""
    events = sorted(occurrences, key=lambda o: o.at)
    starts = [o for o in events if o.event is rule.start]
    if not starts:
        return Deadline(rule=rule, due=None, started=None, basis=f"starts when {rule.start.value}")
    started_at = starts[0].at
    if rule.restart:
        restarts = [o.at for o in events if o.event in rule.restart and o.at >= started_at]
        started_at = max([started_at, *restarts])
    start = calendar.local_date(started_at)
    stopped = next((o.at for o in events if o.event in rule.stop and o.at >= started_at), None)
    if rule.unit is Unit.WORKING_HOURS:
        return _compute_hours(rule, events, calendar, started_at, stopped, extended_by)
    paused = 0
    if rule.pausable:
        for begin, end in _pauses(events, started_at):
            if end is None:
                return Deadline(
                    rule=rule,
                    due=None,
                    started=start,
                    basis=f"{_basis(rule, start)}; paused since {calendar.local_date(begin)}",
                    stopped_at=stopped,
                )
            first, last = calendar.local_date(begin), calendar.local_date(end)
            if rule.unit in WORKING_UNITS:
                paused += calendar.working_days_between(first, last)
            else:
                paused += (last - first).days
    due = due_date(rule, start, calendar, extra=extended_by, paused_days=paused)
    basis = _basis(rule, start)
    if extended_by:
        basis += f", extended by {extended_by}"
    if paused:
        basis += f", plus {paused} {'working ' if rule.unit in WORKING_UNITS else ''}days paused"
    return Deadline(
        rule=rule,
        due=due,
        started=start,
        paused_days=paused,
        extended_by=extended_by,
        basis=basis,
        stopped_at=stopped,
    )


def _compute_hours(
    rule: DeadlineRule,
    events: list[Occurrence],
    calendar: BusinessCalendar,
    started_at: datetime,
    stopped: datetime | None,
    extended_by: int,
) -> Deadline:
    start = calendar.local_date(started_at)
    paused = timedelta()
    if rule.pausable:
        for begin, end in _pauses(events, started_at):
            if end is None:
                return Deadline(
                    rule=rule, due=None, started=start, basis="paused", stopped_at=stopped
                )
            paused += calendar.working_time_between(begin, end)
    span = timedelta(hours=rule.count + extended_by) + paused
    due_at = calendar.add_working_time(started_at, span)
    zone = ZoneInfo(calendar.zone)
    basis = (
        f"{rule.count} working hours from {rule.start.value} at "
        f"{started_at.astimezone(zone):%Y-%m-%d %H:%M}, counting "
        f"{calendar.opens:%H:%M}-{calendar.closes:%H:%M} on working days"
    )
    if paused:
        basis += f", plus {paused.total_seconds() / 3600:.1f} working hours paused"
    return Deadline(
        rule=rule,
        due=due_at.astimezone(zone).date(),
        started=start,
        due_at=due_at,
        extended_by=extended_by,
        basis=basis,
        stopped_at=stopped,
    )


def _basis(rule: DeadlineRule, start: date) -> str:
    unit = rule.unit.value.replace("_", " ")
    if rule.count == 1:
        unit = unit.removesuffix("s")
    text = f"{rule.count} {unit} from {rule.start.value} on {start.isoformat()}"
    if rule.roll_to_working_day:
        text += ", moved to the next working day if it falls on a non-working day"
    return text


@dataclass(frozen=True)
class Communication:
    """A message a pack requires, and what it must contain."""

    id: str
    title: str
    mandatory_items: tuple[str, ...]
    deadline: str | None = None
    source: str = ""


@dataclass(frozen=True)
class PolicyPack:
    id: str
    name: str
    source: str
    kinds: tuple[str, ...]
    deadlines: tuple[DeadlineRule, ...]
    communications: tuple[Communication, ...] = field(default=())
    pauses_allowed: bool = False
    description: str = ""

    def rule(self, rule_id: str) -> DeadlineRule:
        for rule in self.deadlines:
            if rule.id == rule_id:
                return rule
        raise ValidationError(f"Pack {self.id} has no deadline {rule_id!r}.")

    def deadlines_for(
        self,
        occurrences: Sequence[Occurrence],
        calendar: BusinessCalendar,
        extensions: dict[str, int] | None = None,
    ) -> list[Deadline]:
        received = next((o for o in occurrences if o.event is ClockEvent.RECEIVED), None)
        day = calendar.local_date(received.at) if received else None
        return [
            compute(rule, occurrences, calendar, extended_by=(extensions or {}).get(rule.id, 0))
            for rule in self.deadlines
            if day is None or rule.in_force(day)
        ]


def missing_items(communication: Communication, items_present: Iterable[str]) -> list[str]:
    """The mandatory content items a draft of ``communication`` lacks."""
    present = set(items_present)
    return [item for item in communication.mandatory_items if item not in present]


# Case timeline events and the clock events they stand for. An escalated case's next step in
# its lifecycle (other than a pause) is the escalation's acknowledgement.
_CASE_EVENTS = {
    "case.acknowledged": (ClockEvent.ACKNOWLEDGED,),
    "case.escalated": (ClockEvent.ESCALATED,),
    "case.paused": (ClockEvent.PAUSED,),
    "case.resumed": (ClockEvent.RESUMED,),
    "case.resolved": (ClockEvent.RESOLVED, ClockEvent.RESPONDED),
    "case.closed": (ClockEvent.CLOSED,),
    "case.message_sent": (ClockEvent.UPDATED,),
    "case.withdrawn": (ClockEvent.RESPONDED, ClockEvent.RESOLVED, ClockEvent.CLOSED),
}
_MOVES_ON = {"case.investigation_started", "case.solution_proposed", "case.resolved"}


def occurrences_from(
    received_at: datetime, history: Iterable[tuple[str, datetime]]
) -> list[Occurrence]:
    """Clock events from a case's receipt and its timeline (event type, time), in order."""
    out = [Occurrence(ClockEvent.RECEIVED, received_at)]
    escalated = False
    for event_type, at in history:
        if escalated and event_type in _MOVES_ON:
            out.append(Occurrence(ClockEvent.ESCALATION_ACKNOWLEDGED, at))
            escalated = False
        if event_type == "case.escalated":
            escalated = True
        out.extend(Occurrence(e, at) for e in _CASE_EVENTS.get(event_type, ()))
    return out


# --- the organisation's own service levels ------------------------------------------------------


class Target(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_UPDATE = "next_update"
    RESOLUTION = "resolution"
    FOLLOW_UP = "follow_up"


# How each target runs: what starts it, what starts it again, and what stops it.
TARGET_EVENTS: dict[Target, tuple[ClockEvent, tuple[ClockEvent, ...], tuple[ClockEvent, ...]]] = {
    Target.FIRST_RESPONSE: (
        ClockEvent.RECEIVED,
        (),
        (ClockEvent.ACKNOWLEDGED, ClockEvent.UPDATED, ClockEvent.RESOLVED),
    ),
    Target.NEXT_UPDATE: (ClockEvent.RECEIVED, (ClockEvent.UPDATED,), (ClockEvent.RESOLVED,)),
    Target.RESOLUTION: (ClockEvent.RECEIVED, (), (ClockEvent.RESOLVED,)),
    Target.FOLLOW_UP: (ClockEvent.RESOLVED, (), (ClockEvent.CLOSED,)),
}


@dataclass(frozen=True)
class ServiceLevel:
    """One of the organisation's targets and the cases it covers (an empty matcher matches
    every case). Where several cover a case, the most specific wins, then the lowest position."""

    name: str
    target: Target
    count: int
    unit: Unit
    kind: str = ""
    priority: str = ""
    severity: int | None = None
    category: str = ""
    segment: str = ""
    pausable: bool = True
    position: int = 0

    def matches(self, facts: dict[str, object]) -> bool:
        for name in ("kind", "priority", "category", "segment"):
            wanted = getattr(self, name)
            if wanted and facts.get(name) != wanted:
                return False
        return self.severity is None or facts.get("severity") == self.severity

    @property
    def specificity(self) -> int:
        named = (self.kind, self.priority, self.category, self.segment)
        return sum(1 for v in named if v) + (self.severity is not None)

    def rule(self) -> DeadlineRule:
        start, restart, stop = TARGET_EVENTS[self.target]
        return DeadlineRule(
            id=self.target.value,
            title=f"{self.name}",
            count=self.count,
            unit=self.unit,
            start=start,
            restart=restart,
            stop=stop,
            pausable=self.pausable,
            source="The organisation's service levels",
        )


def choose_service_levels(
    levels: Iterable[ServiceLevel], facts: dict[str, object]
) -> list[ServiceLevel]:
    """For each target, the most specific level that covers a case with these ``facts``."""
    best: dict[Target, ServiceLevel] = {}
    for level in levels:
        if not level.matches(facts):
            continue
        held = best.get(level.target)
        if held is None or (level.specificity, -level.position) > (
            held.specificity,
            -held.position,
        ):
            best[level.target] = level
    return [best[t] for t in Target if t in best]
