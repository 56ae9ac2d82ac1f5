"""Moving a case through its lifecycle, and the facts its guards need."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from amends.cases.domain import (
    CaseKind,
    Channel,
    FollowUpResult,
    Status,
    TransitionRequest,
    apply_transition,
    check_kind_change,
    record_follow_up,
    transition_event_type,
)
from amends.cases.models import Case, FollowUpAttempt
from amends.cases.selectors import lifecycle_policy, state_of
from amends.cases.services._common import record, save_case
from amends.cases.services.intake import Determination, resolve_definition
from amends.core.errors import TransitionNotAllowedError, ValidationError
from amends.resolution import selectors as resolution_selectors

if TYPE_CHECKING:
    from amends.accounts.models import User


@transaction.atomic
def transition_case(
    *,
    case: Case,
    request: TransitionRequest,
    expected_version: int,
    actor: User | None,
    now: datetime,
    actor_label: str | None = None,
) -> Case:
    """Move ``case`` as ``request`` asks, if the lifecycle and its guard allow it. A marked
    root cause from the case's root-cause analysis stands in for a root-cause statement.
    ``actor_label`` names who moved it when that is not a user (``customer``)."""
    if request.to is Status.RESOLVED:
        blocking = resolution_selectors.open_blocking_tasks(case)
        if blocking:
            raise TransitionNotAllowedError(
                f"Cannot move from {case.status} to resolved: the action plan has open blocking "
                f"tasks: {'; '.join(blocking)}.",
                missing=("tasks",),
                current_status=case.status,
                requested="resolved",
            )
    if request.to is Status.RESOLVED and not (request.root_cause or "").strip():
        structured = resolution_selectors.root_cause_statement(case)
        if structured and not case.root_cause:
            request = replace(request, root_cause=structured)
    before = state_of(case)
    after = apply_transition(before, request, now=now, policy=lifecycle_policy())
    changes: dict[str, Any] = {
        "status": after.status.value,
        "resume_status": after.resume_status.value if after.resume_status else "",
        "escalation_level": after.escalation_level,
        "resolution_summary": after.resolution_summary,
        "outcome": after.outcome.value if after.outcome else "",
        "root_cause": after.root_cause,
        "withdrawn_reason": after.withdrawn_reason,
        "closed_at": after.closed_at,
    }
    to = after.status
    if to is Status.ACKNOWLEDGED and case.acknowledged_at is None:
        changes["acknowledged_at"] = now
    if to is Status.RESOLVED:
        changes["resolved_at"] = now
        changes["customer_confirmed_at"] = None
    if to is Status.CLOSED and request.customer_confirmed and case.customer_confirmed_at is None:
        changes["customer_confirmed_at"] = now
    if to is Status.REOPENED:
        changes["resolved_at"] = None
        changes["customer_confirmed_at"] = None
    save_case(case, expected_version=expected_version, now=now, changes=changes)

    data: dict[str, Any] = {"from": before.status, "to": to}
    reason = (request.reason or "").strip()
    if reason:
        data["reason"] = reason
    if to is Status.RESOLVED:
        data.update(
            resolution_summary=after.resolution_summary,
            outcome=after.outcome,
            root_cause=after.root_cause,
        )
    elif to is Status.ESCALATED:
        data.update(level=after.escalation_level, previous_level=before.escalation_level)
    elif to is Status.CLOSED:
        data.update(
            customer_confirmed=after.customer_confirmed,
            follow_up_attempts=after.follow_up_attempts,
        )
    elif to is Status.REOPENED:
        data["previous_resolution"] = {
            "resolution_summary": before.resolution_summary,
            "outcome": before.outcome,
            "root_cause": before.root_cause,
        }
    record(
        case,
        transition_event_type(before.status, to),
        actor=actor,
        now=now,
        data=data,
        actor_label=actor_label,
    )
    return case


@transaction.atomic
def change_kind(
    *,
    case: Case,
    kind: CaseKind,
    reason: str,
    expected_version: int,
    actor: User | None,
    now: datetime,
    determination: Determination | None = None,
) -> Case:
    """Reclassify the case (a query that is really a complaint, say), with the reason."""
    if kind.value == case.kind and determination is None:
        return case
    check_kind_change(state_of(case), kind, reason)
    determination = determination or Determination(
        definition=(
            case.determination_definition.code if case.determination_definition else "organisation"
        ),
        rationale=reason,
    )
    definition = resolve_definition(determination.definition)
    before = {
        "kind": case.kind,
        "determination": {
            "definition": case.determination_definition.code
            if case.determination_definition
            else None,
            "rationale": case.determination_rationale,
        },
    }
    save_case(
        case,
        expected_version=expected_version,
        now=now,
        changes={
            "kind": kind.value,
            "determination_definition": definition,
            "determination_rationale": determination.rationale.strip() or reason.strip(),
            "determined_by": actor,
            "determined_at": now,
        },
    )
    record(
        case,
        "case.kind_changed",
        actor=actor,
        now=now,
        data={
            "before": before,
            "after": {
                "kind": kind,
                "determination": {
                    "definition": definition.code,
                    "rationale": case.determination_rationale,
                    "is_complaint": kind is CaseKind.COMPLAINT,
                },
            },
            "reason": reason.strip(),
        },
    )
    return case


@transaction.atomic
def record_follow_up_attempt(
    *,
    case: Case,
    channel: Channel,
    result: FollowUpResult,
    actor: User | None,
    now: datetime,
    note: str = "",
    attempted_at: datetime | None = None,
) -> FollowUpAttempt:
    """Record one attempt to check with the customer that the problem is solved."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    after = record_follow_up(state_of(locked), result)
    when = attempted_at or now
    if when > now:
        raise ValidationError(
            "A follow-up attempt cannot be in the future.", fields={"attempted_at": "in the future"}
        )
    attempt = FollowUpAttempt.objects.create(
        case=locked,
        channel=channel.value,
        result=result.value,
        note=note.strip(),
        attempted_at=when,
        recorded_at=now,
        recorded_by=actor,
    )
    changes: dict[str, Any] = {}
    if after.customer_confirmed and locked.customer_confirmed_at is None:
        changes["customer_confirmed_at"] = now
    if changes:
        save_case(locked, expected_version=locked.version, now=now, changes=changes)
        case.customer_confirmed_at = locked.customer_confirmed_at
        case.version = locked.version
    record(
        locked,
        "case.follow_up_recorded",
        actor=actor,
        now=now,
        data={
            "id": attempt.pk,
            "channel": channel,
            "result": result,
            "note": attempt.note,
            "attempted_at": when,
            "attempts_since_resolution": after.follow_up_attempts,
            "customer_confirmed": after.customer_confirmed,
        },
    )
    return attempt
