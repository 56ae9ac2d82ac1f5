"""What a case is and how it may move. Pure Python: no Django, no I/O, no clock.

The lifecycle::

    received → acknowledged → investigating → solution_proposed → resolved → follow_up → closed

with ``awaiting_customer`` (a pause from acknowledged, investigating or solution_proposed, which
returns to where it came from), ``escalated`` (level 1..n, each escalation higher than the last),
``reopened`` (from resolved or follow_up, or from closed within the reopen window) and
``withdrawn`` (with a reason; final). A case may also be resolved early, at first contact or
during the investigation, as long as the resolution guard is met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from amends.core.errors import TransitionNotAllowedError, ValidationError


class CaseKind(StrEnum):
    COMPLAINT = "complaint"
    SERVICE_FAILURE = "service_failure"
    QUERY = "query"
    SERVICE_REQUEST = "service_request"
    COMPLIMENT = "compliment"


class Status(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    SOLUTION_PROPOSED = "solution_proposed"
    AWAITING_CUSTOMER = "awaiting_customer"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"


# Statuses in which nobody needs to act on the case any more.
FINISHED = frozenset({Status.CLOSED, Status.WITHDRAWN})
OPEN = frozenset(Status) - FINISHED
# Statuses whose resolution has been given (and so must carry what resolving requires).
RESOLVED_STATES = frozenset({Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED})
PAUSABLE = frozenset({Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.SOLUTION_PROPOSED})


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"


class Channel(StrEnum):
    """How the customer reached us."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    LETTER = "letter"
    EMAIL = "email"
    WEB_FORM = "web_form"
    PORTAL = "portal"
    CHAT = "chat"
    SOCIAL_MEDIA = "social_media"
    SMS = "sms"


class JourneyStage(StrEnum):
    AWARENESS = "awareness"
    PURCHASE = "purchase"
    ONBOARDING = "onboarding"
    DELIVERY = "delivery"
    USAGE = "usage"
    BILLING = "billing"
    SUPPORT = "support"
    RENEWAL_EXIT = "renewal_exit"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_RANK = {Priority.URGENT: 1, Priority.HIGH: 2, Priority.NORMAL: 3, Priority.LOW: 4}

# Severity is the size of the harm to the customer: 1 minor, 2 moderate, 3 serious, 4 critical.
SEVERITIES = (1, 2, 3, 4)


class StakeholderRole(StrEnum):
    OWNER = "owner"
    CONTRIBUTOR = "contributor"
    APPROVER = "approver"
    INFORMED = "informed"


class LinkKind(StrEnum):
    DUPLICATE_OF = "duplicate_of"  # this case repeats the target, which carries the work
    RELATED = "related"
    PARENT = "parent"  # the target is this case's parent


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class InteractionKind(StrEnum):
    MESSAGE = "message"
    NOTE = "note"


class FollowUpResult(StrEnum):
    SATISFIED = "satisfied"  # the customer confirms the problem is solved
    NOT_SATISFIED = "not_satisfied"
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    UNREACHABLE = "unreachable"


# --- references ------------------------------------------------------------------------------

REFERENCE_RE = re.compile(r"^C-(\d{4})-(\d{6,})$")


def make_reference(year: int, number: int) -> str:
    """``C-YYYY-NNNNNN``: six digits at least, more after the millionth case of a year."""
    return f"C-{year:04d}-{number:06d}"


def is_reference(text: str) -> bool:
    return REFERENCE_RE.match(text.strip().upper()) is not None


def check_severity(value: int) -> int:
    if value not in SEVERITIES:
        raise ValidationError(
            "Severity must be 1 (minor), 2 (moderate), 3 (serious) or 4 (critical).",
            fields={"severity": "must be 1, 2, 3 or 4"},
        )
    return value


# --- the lifecycle ---------------------------------------------------------------------------

_MOVES: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset(
        {Status.ACKNOWLEDGED, Status.ESCALATED, Status.RESOLVED, Status.WITHDRAWN}
    ),
    Status.ACKNOWLEDGED: frozenset(
        {
            Status.INVESTIGATING,
            Status.AWAITING_CUSTOMER,
            Status.ESCALATED,
            Status.RESOLVED,
            Status.WITHDRAWN,
        }
    ),
    Status.INVESTIGATING: frozenset(
        {
            Status.SOLUTION_PROPOSED,
            Status.AWAITING_CUSTOMER,
            Status.ESCALATED,
            Status.RESOLVED,
            Status.WITHDRAWN,
        }
    ),
    Status.SOLUTION_PROPOSED: frozenset(
        {
            Status.RESOLVED,
            Status.INVESTIGATING,
            Status.AWAITING_CUSTOMER,
            Status.ESCALATED,
            Status.WITHDRAWN,
        }
    ),
    # Back to where it paused (see CaseState.resume_status), or withdrawn.
    Status.AWAITING_CUSTOMER: frozenset(PAUSABLE | {Status.WITHDRAWN}),
    Status.ESCALATED: frozenset(
        {
            Status.INVESTIGATING,
            Status.SOLUTION_PROPOSED,
            Status.ESCALATED,
            Status.RESOLVED,
            Status.WITHDRAWN,
        }
    ),
    Status.RESOLVED: frozenset({Status.FOLLOW_UP, Status.CLOSED, Status.REOPENED}),
    Status.FOLLOW_UP: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset(
        {Status.INVESTIGATING, Status.ESCALATED, Status.RESOLVED, Status.WITHDRAWN}
    ),
    Status.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True)
class LifecyclePolicy:
    reopen_window: timedelta = timedelta(days=28)
    follow_up_attempts_to_close: int = 2


@dataclass(frozen=True)
class CaseState:
    """The facts about a case that the lifecycle rules look at."""

    status: Status
    kind: CaseKind
    escalation_level: int = 0
    resume_status: Status | None = None
    resolution_summary: str = ""
    outcome: Outcome | None = None
    root_cause: str = ""
    customer_confirmed: bool = False
    follow_up_attempts: int = 0  # attempts recorded since the case was last resolved
    closed_at: datetime | None = None
    withdrawn_reason: str = ""


@dataclass(frozen=True)
class TransitionRequest:
    to: Status
    resolution_summary: str | None = None
    outcome: Outcome | None = None
    root_cause: str | None = None
    customer_confirmed: bool = False
    reason: str | None = None
    level: int | None = None


def _text(value: str | None) -> str:
    return (value or "").strip()


def _refuse(state: CaseState, to: Status, why: str, missing: tuple[str, ...] = ()) -> None:
    raise TransitionNotAllowedError(
        f"Cannot move from {state.status.value} to {to.value}: {why}",
        missing=missing,
        current_status=state.status.value,
        requested=to.value,
    )


def _check_move(state: CaseState, to: Status, now: datetime, policy: LifecyclePolicy) -> None:
    if to not in _MOVES[state.status]:
        allowed = ", ".join(sorted(s.value for s in _MOVES[state.status])) or "none (final)"
        _refuse(state, to, f"that move is not part of the lifecycle. Allowed from here: {allowed}.")
    if state.status is Status.AWAITING_CUSTOMER and to in PAUSABLE and to != state.resume_status:
        resume = state.resume_status.value if state.resume_status else "unknown"
        _refuse(state, to, f"a paused case returns to where it paused ({resume}).")
    closed_long_ago = state.closed_at is None or now - state.closed_at > policy.reopen_window
    if state.status is Status.CLOSED and to is Status.REOPENED and closed_long_ago:
        days = policy.reopen_window.days
        _refuse(
            state,
            to,
            f"a closed case can be reopened only within {days} days of closure; "
            "log a new case and link it instead.",
        )


def allowed_moves(state: CaseState, now: datetime, policy: LifecyclePolicy) -> list[Status]:
    """The statuses this case may move to now, before any guard's fields are supplied."""
    moves = []
    for to in sorted(_MOVES[state.status], key=list(Status).index):
        try:
            _check_move(state, to, now, policy)
        except TransitionNotAllowedError:
            continue
        moves.append(to)
    return moves


def resolution_missing(
    kind: CaseKind, summary: str, outcome: Outcome | None, root_cause: str
) -> tuple[str, ...]:
    missing = []
    if not summary:
        missing.append("resolution_summary")
    if kind is CaseKind.COMPLAINT:
        if outcome is None:
            missing.append("outcome")
        if not root_cause:
            missing.append("root_cause")
    return tuple(missing)


def apply_transition(
    state: CaseState, request: TransitionRequest, *, now: datetime, policy: LifecyclePolicy
) -> CaseState:
    """The state after ``request``, or :class:`TransitionNotAllowedError` saying why not."""
    to = request.to
    _check_move(state, to, now, policy)
    reason = _text(request.reason)

    if to is Status.RESOLVED:
        summary = _text(request.resolution_summary) or state.resolution_summary
        outcome = request.outcome or state.outcome
        root_cause = _text(request.root_cause) or state.root_cause
        missing = resolution_missing(state.kind, summary, outcome, root_cause)
        if missing:
            needs = (
                "a complaint is resolved only with a resolution summary, an outcome "
                "(upheld, partly_upheld or not_upheld) and a root cause statement"
                if state.kind is CaseKind.COMPLAINT
                else "a case is resolved only with a resolution summary"
            )
            _refuse(state, to, f"{needs}. Missing: {', '.join(missing)}.", missing)
        return replace(
            state,
            status=to,
            resolution_summary=summary,
            outcome=outcome,
            root_cause=root_cause,
            customer_confirmed=False,
            follow_up_attempts=0,
            resume_status=None,
        )

    if to is Status.CLOSED:
        confirmed = state.customer_confirmed or request.customer_confirmed
        needed = policy.follow_up_attempts_to_close
        if not confirmed and state.follow_up_attempts < needed:
            _refuse(
                state,
                to,
                "closing needs the customer's confirmation that they are satisfied "
                f"(customer_confirmed) or at least {needed} recorded follow-up attempts "
                f"({state.follow_up_attempts} so far).",
                ("customer_confirmed",),
            )
        return replace(state, status=to, customer_confirmed=confirmed, closed_at=now)

    if to is Status.WITHDRAWN:
        if not reason:
            _refuse(state, to, "say why the case is withdrawn (reason).", ("reason",))
        return replace(state, status=to, withdrawn_reason=reason, resume_status=None)

    if to is Status.ESCALATED:
        level = request.level if request.level is not None else state.escalation_level + 1
        if level <= state.escalation_level:
            _refuse(
                state,
                to,
                f"the case is already at escalation level {state.escalation_level}; "
                f"escalate to level {state.escalation_level + 1} or higher.",
                ("level",),
            )
        return replace(state, status=to, escalation_level=level, resume_status=None)

    if to is Status.AWAITING_CUSTOMER:
        return replace(state, status=to, resume_status=state.status)

    if to is Status.REOPENED:
        return replace(
            state,
            status=to,
            resolution_summary="",
            outcome=None,
            root_cause="",
            customer_confirmed=False,
            follow_up_attempts=0,
            closed_at=None,
        )

    return replace(state, status=to, resume_status=None)


def check_kind_change(state: CaseState, new_kind: CaseKind, reason: str) -> None:
    """A case's kind may change, with a reason, until it is resolved."""
    if not reason.strip():
        raise ValidationError(
            "Changing what kind of case this is needs a reason.",
            fields={"reason": "say why the kind changes"},
        )
    if state.status in RESOLVED_STATES or state.status is Status.WITHDRAWN:
        raise TransitionNotAllowedError(
            f"The kind of a {state.status.value} case cannot change; reopen it first.",
            current_status=state.status.value,
        )


def record_follow_up(state: CaseState, result: FollowUpResult) -> CaseState:
    """Follow-up attempts belong after resolution; a satisfied answer confirms the outcome."""
    if state.status not in {Status.RESOLVED, Status.FOLLOW_UP}:
        raise TransitionNotAllowedError(
            "Follow-up attempts are recorded once a case is resolved "
            f"(this case is {state.status.value}).",
            current_status=state.status.value,
        )
    return replace(
        state,
        follow_up_attempts=state.follow_up_attempts + 1,
        customer_confirmed=state.customer_confirmed or result is FollowUpResult.SATISFIED,
    )


def invariant_problems(state: CaseState, policy: LifecyclePolicy) -> list[str]:
    """Everything wrong with a state; the lifecycle must never produce a non-empty list."""
    problems = []
    if state.status in RESOLVED_STATES:
        missing = resolution_missing(
            state.kind, state.resolution_summary, state.outcome, state.root_cause
        )
        if missing:
            problems.append(f"{state.status.value} without {', '.join(missing)}")
    if state.status is Status.CLOSED:
        if state.closed_at is None:
            problems.append("closed without a closing time")
        attempts = policy.follow_up_attempts_to_close
        if not state.customer_confirmed and state.follow_up_attempts < attempts:
            problems.append("closed without confirmation or follow-up attempts")
    if state.status is Status.WITHDRAWN and not state.withdrawn_reason:
        problems.append("withdrawn without a reason")
    if state.status is Status.ESCALATED and state.escalation_level < 1:
        problems.append("escalated without a level")
    if state.status is Status.AWAITING_CUSTOMER and state.resume_status not in PAUSABLE:
        problems.append("paused with nowhere to return to")
    if state.status is not Status.AWAITING_CUSTOMER and state.resume_status is not None:
        problems.append("a resume status outside a pause")
    return problems


# --- what a case is about ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDetails:
    """The descriptive fields of a case that handlers edit."""

    summary: str
    description: str
    channel: Channel
    category: str | None = None  # a category slug
    journey_stage: JourneyStage | None = None
    severity: int = 2
    priority: Priority = Priority.NORMAL
    remedy_sought: str = ""
    product: str = ""
    # The handler's paraphrase of the problem, read back to the customer (active listening).
    read_back: str = ""


SUMMARY_MAX = 200


def summarise(description: str) -> str:
    """A one-line summary from the customer's own words, when none was given."""
    line = " ".join(description.split())
    if len(line) <= SUMMARY_MAX:
        return line
    cut = line[: SUMMARY_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…"


def clean_details(details: CaseDetails) -> CaseDetails:
    problems: dict[str, str] = {}
    description = details.description.strip()
    if not description:
        problems["description"] = "record the customer's own words"
    summary = " ".join(details.summary.split()) or summarise(description)
    if len(summary) > SUMMARY_MAX:
        problems["summary"] = f"at most {SUMMARY_MAX} characters"
    if details.severity not in SEVERITIES:
        problems["severity"] = "must be 1, 2, 3 or 4"
    if problems:
        raise ValidationError("The case details are not valid.", fields=problems)
    return replace(
        details,
        summary=summary,
        description=description,
        remedy_sought=details.remedy_sought.strip(),
        product=details.product.strip(),
        read_back=details.read_back.strip(),
    )


# Event types for each move, in the past tense.
TRANSITION_EVENTS = {
    Status.ACKNOWLEDGED: "case.acknowledged",
    Status.INVESTIGATING: "case.investigation_started",
    Status.SOLUTION_PROPOSED: "case.solution_proposed",
    Status.AWAITING_CUSTOMER: "case.paused",
    Status.ESCALATED: "case.escalated",
    Status.RESOLVED: "case.resolved",
    Status.FOLLOW_UP: "case.follow_up_started",
    Status.CLOSED: "case.closed",
    Status.REOPENED: "case.reopened",
    Status.WITHDRAWN: "case.withdrawn",
}


def transition_event_type(before: Status, after: Status) -> str:
    if before is Status.AWAITING_CUSTOMER and after in PAUSABLE:
        return "case.resumed"
    return TRANSITION_EVENTS[after]
