"""Cases as the API and pages show them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from amends.cases import selectors
from amends.cases.domain import allowed_moves
from amends.cases.models import Case
from amends.core.clock import today
from amends.customers.domain import INTERNAL_KINDS, CustomerKind
from amends.customers.presenters import customer_brief
from amends.customers.selectors import vulnerable_customer_ids
from amends.resolution import selectors as resolution_selectors

if TYPE_CHECKING:
    from amends.accounts.models import User


def case_brief(case: Case, *, vulnerable: bool) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "version": case.version,
        "kind": case.kind,
        "status": case.status,
        "summary": case.summary,
        "category": case.category.slug if case.category else None,
        "channel": case.channel,
        "journey_stage": case.journey_stage or None,
        "severity": case.severity,
        "priority": case.priority,
        "customer": customer_brief(case.customer, vulnerable=vulnerable),
        "team": case.team.slug,
        "assignee": case.assignee.username if case.assignee else None,
        "escalation_level": case.escalation_level,
        "next_due_on": case.next_due_on,
        "received_at": case.received_at,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def case_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Queue rows (from ``selectors.list_cases``) in the shape of ``case_brief``."""
    rows = list(rows)
    flagged = vulnerable_customer_ids(sorted({r["customer_id"] for r in rows}))
    late_tasks = resolution_selectors.cases_with_overdue_tasks([r["id"] for r in rows], today())
    return [
        {
            "reference": r["reference"],
            "version": r["version"],
            "kind": r["kind"],
            "status": r["status"],
            "summary": r["summary"],
            "category": r["category__slug"],
            "channel": r["channel"],
            "journey_stage": r["journey_stage"] or None,
            "severity": r["severity"],
            "priority": r["priority"],
            "customer": {
                "reference": r["customer__reference"],
                "kind": r["customer__kind"],
                "name": r["customer__name"],
                "internal": CustomerKind(r["customer__kind"]) in INTERNAL_KINDS,
                "vulnerable": r["customer_id"] in flagged,
                "adjustments": list(r["customer__adjustments"] or []),
                "preferred_channel": r["customer__preferred_channel"],
                "preferred_format": r["customer__preferred_format"],
            },
            "team": r["team__slug"],
            "assignee": r["assignee__username"],
            "escalation_level": r["escalation_level"],
            "next_due_on": r["next_due_on"],
            "overdue_tasks": r["id"] in late_tasks,
            "received_at": r["received_at"],
            "created_at": r["created_at"],
            "updated_at": r["updated_at"],
        }
        for r in rows
    ]


def case_detail(
    case: Case,
    viewer: User,
    now: datetime,
    *,
    relations: selectors.CaseRelations | None = None,
) -> dict[str, Any]:
    """Everything about a case; ``relations`` when the caller already knows them (a case it
    has just logged), otherwise they are read."""
    state = selectors.state_of(case)
    related = relations or selectors.case_relations(case)
    out = case_brief(case, vulnerable=related.customer_vulnerable)
    out.update(
        description=case.description,
        remedy_sought=case.remedy_sought,
        product=case.product,
        read_back=case.read_back,
        representative=related.representative,
        resume_status=case.resume_status or None,
        resolution_summary=case.resolution_summary,
        outcome=case.outcome or None,
        root_cause=case.root_cause,
        withdrawn_reason=case.withdrawn_reason,
        customer_confirmed_at=case.customer_confirmed_at,
        acknowledged_at=case.acknowledged_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        determination={
            "definition": related.definition,
            "rationale": case.determination_rationale,
            "determined_by": related.determined_by,
            "determined_at": case.determined_at,
        },
        allowed_transitions=[
            s.value for s in allowed_moves(state, now, selectors.lifecycle_policy())
        ],
        stakeholders=related.stakeholders,
        links=related.links,
        follow_up_attempts=state.follow_up_attempts,
    )
    return out


def interaction_out(interaction: Any) -> dict[str, Any]:
    return {
        "id": interaction.pk,
        "kind": interaction.kind,
        "direction": interaction.direction,
        "channel": interaction.channel,
        "subject": interaction.subject,
        "body": interaction.body,
        "counterpart": interaction.counterpart,
        "author": interaction.author.username if interaction.author else None,
        "occurred_at": interaction.occurred_at,
        "created_at": interaction.created_at,
    }
