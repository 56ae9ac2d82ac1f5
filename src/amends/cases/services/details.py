"""Editing what a case is about, who works on it, and how it relates to other cases."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from amends.cases.domain import FINISHED, CaseDetails, LinkKind, StakeholderRole, Status
from amends.cases.domain import clean_details as clean_case_details
from amends.cases.models import Case, CaseLink, CaseStakeholder
from amends.cases.services._common import record, save_case
from amends.cases.services.intake import check_assignee, resolve_category
from amends.core.errors import ConflictError, TransitionNotAllowedError, ValidationError

if TYPE_CHECKING:
    from amends.accounts.models import Team, User


def _check_not_finished(case: Case, what: str) -> None:
    if Status(case.status) in FINISHED:
        raise TransitionNotAllowedError(
            f"Case {case.reference} is {case.status}; reopen it before changing its {what}.",
            current_status=case.status,
        )


@transaction.atomic
def update_case_details(
    *,
    case: Case,
    details: CaseDetails,
    expected_version: int,
    actor: User | None,
    now: datetime,
) -> Case:
    details = clean_case_details(details)
    category = resolve_category(details.category)
    after: dict[str, Any] = {
        "summary": details.summary,
        "description": details.description,
        "channel": details.channel.value,
        "category": category.slug if category else None,
        "journey_stage": details.journey_stage.value if details.journey_stage else "",
        "severity": details.severity,
        "priority": details.priority.value,
        "remedy_sought": details.remedy_sought,
        "product": details.product,
        "read_back": details.read_back,
    }
    before: dict[str, Any] = {
        name: (case.category.slug if case.category else None)
        if name == "category"
        else getattr(case, name)
        for name in after
    }
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return case
    _check_not_finished(case, "details")
    changes = {name: after[name] for name in changed}
    if "category" in changes:
        changes["category"] = category
    save_case(case, expected_version=expected_version, now=now, changes=changes)
    record(
        case,
        "case.details_changed",
        actor=actor,
        now=now,
        data={
            "fields": changed,
            "before": {n: before[n] for n in changed},
            "after": {n: after[n] for n in changed},
        },
    )
    return case


@transaction.atomic
def assign_case(
    *,
    case: Case,
    team: Team,
    assignee: User | None,
    expected_version: int,
    actor: User | None,
    now: datetime,
) -> Case:
    """Give the case to a team and (optionally) one person in it."""
    if team.pk == case.team_id and (assignee.pk if assignee else None) == case.assignee_id:
        return case
    _check_not_finished(case, "assignment")
    if not team.handles_cases:
        raise ValidationError(
            f"{team.name} does not handle cases.", fields={"team": "not a case-handling team"}
        )
    if assignee is not None:
        check_assignee(assignee, team)
    before = {
        "team": case.team.slug,
        "assignee": case.assignee.username if case.assignee else None,
    }
    save_case(
        case,
        expected_version=expected_version,
        now=now,
        changes={"team": team, "assignee": assignee},
    )
    after = {"team": team.slug, "assignee": assignee.username if assignee else None}
    record(case, "case.assigned", actor=actor, now=now, data={"before": before, "after": after})
    return case


@transaction.atomic
def add_stakeholder(
    *,
    case: Case,
    role: StakeholderRole,
    actor: User | None,
    now: datetime,
    user: User | None = None,
    team: Team | None = None,
    note: str = "",
) -> CaseStakeholder:
    if (user is None) == (team is None):
        raise ValidationError(
            "A stakeholder is either a user or a team (an internal department).",
            fields={"user": "give a user or a team, not both"},
        )
    if CaseStakeholder.objects.filter(case=case, role=role.value, user=user, team=team).exists():
        raise ConflictError(
            "That stakeholder already has that role on this case.", fields={"role": "duplicate"}
        )
    stakeholder = CaseStakeholder.objects.create(
        case=case, role=role.value, user=user, team=team, note=note.strip()
    )
    record(
        case,
        "case.stakeholder_added",
        actor=actor,
        now=now,
        data={
            "id": stakeholder.pk,
            "role": role,
            "user": user.username if user else None,
            "team": team.slug if team else None,
            "note": stakeholder.note,
        },
    )
    return stakeholder


@transaction.atomic
def remove_stakeholder(*, stakeholder: CaseStakeholder, actor: User | None, now: datetime) -> None:
    case = stakeholder.case
    data = {
        "id": stakeholder.pk,
        "role": stakeholder.role,
        "user": stakeholder.user.username if stakeholder.user else None,
        "team": stakeholder.team.slug if stakeholder.team else None,
    }
    CaseStakeholder.objects.filter(pk=stakeholder.pk).delete()
    record(case, "case.stakeholder_removed", actor=actor, now=now, data=data)


def _parent_chain_reaches(start: Case, target: Case) -> bool:
    seen: set[int] = set()
    current: int | None = start.pk
    while current is not None and current not in seen:
        if current == target.pk:
            return True
        seen.add(current)
        current = (
            CaseLink.objects.filter(
                case_id=current, kind__in=[LinkKind.PARENT, LinkKind.DUPLICATE_OF]
            )
            .values_list("target_id", flat=True)
            .first()
        )
    return False


@transaction.atomic
def link_cases(
    *, case: Case, target: Case, kind: LinkKind, actor: User | None, now: datetime
) -> CaseLink:
    """Record that ``case`` duplicates, relates to, or is a child of ``target``."""
    if case.pk == target.pk:
        raise ValidationError("A case cannot be linked to itself.", fields={"target": "same case"})
    if CaseLink.objects.filter(case=case, target=target, kind=kind.value).exists():
        raise ConflictError("Those cases are already linked that way.", fields={"target": "linked"})
    if kind in (LinkKind.PARENT, LinkKind.DUPLICATE_OF):
        if CaseLink.objects.filter(case=case, kind=kind.value).exists():
            raise ConflictError(
                f"Case {case.reference} already has a {kind.value} link.",
                fields={"kind": f"only one {kind.value} per case"},
            )
        if _parent_chain_reaches(target, case):
            raise ValidationError(
                "That link would make a loop of parents or duplicates.",
                fields={"target": "would create a cycle"},
            )
    link = CaseLink.objects.create(
        case=case, target=target, kind=kind.value, created_at=now, created_by=actor
    )
    data = {"kind": kind, "target": target.reference}
    record(case, "case.linked", actor=actor, now=now, data=data)
    record(
        target,
        "case.linked_from",
        actor=actor,
        now=now,
        data={"kind": kind, "source": case.reference},
    )
    return link


@transaction.atomic
def unlink_cases(*, link: CaseLink, actor: User | None, now: datetime) -> None:
    case, target, kind = link.case, link.target, link.kind
    CaseLink.objects.filter(pk=link.pk).delete()
    record(
        case, "case.unlinked", actor=actor, now=now, data={"kind": kind, "target": target.reference}
    )
