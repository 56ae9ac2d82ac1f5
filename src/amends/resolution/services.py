"""Root-cause analysis on a case: 5 Whys and Ishikawa causes, and the root among them. Each
change is an event on the case's timeline.

Import as ``from amends.resolution import services as resolution_services``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from amends.cases.domain import FINISHED, RESOLVED_STATES, Status
from amends.core import clock, timeline
from amends.core.errors import PermissionDeniedError, ValidationError
from amends.core.sequences import next_number
from amends.resolution.domain import (
    CauseKind,
    IshikawaCategory,
    RedressBasis,
    RedressKind,
    RedressStatus,
    check_amount,
    check_cause,
    check_justification,
    check_scores,
    needs_approval,
    parse_factors,
    parse_limits,
    weighted_score,
)
from amends.resolution.models import (
    ActionTask,
    Cause,
    Problem,
    ProblemCase,
    Redress,
    SolutionOption,
)
from amends.resolution.remedies import Facts, assess

if TYPE_CHECKING:
    from amends.accounts.models import Team, User
    from amends.cases.models import Case


def _check_open(case: Case) -> None:
    if Status(case.status) in RESOLVED_STATES | FINISHED:
        raise ValidationError(
            f"Case {case.reference} is {case.status}: reopen it to change its root-cause analysis.",
            fields={"case": case.status},
        )


@transaction.atomic
def add_cause(
    *,
    case: Case,
    kind: CauseKind,
    text: str,
    actor: User | None,
    now: datetime,
    category: IshikawaCategory | None = None,
    evidence: str = "",
) -> Cause:
    _check_open(case)
    whys = Cause.objects.filter(case=case, kind=CauseKind.WHY).count()
    text = check_cause(kind, text, category, whys)
    position = 0
    if kind is CauseKind.WHY:
        position = (
            Cause.objects.filter(case=case, kind=kind).aggregate(m=Max("position"))["m"] or 0
        ) + 1
    cause = Cause.objects.create(
        case=case,
        kind=kind.value,
        position=position,
        category=category.value if category and kind is CauseKind.ISHIKAWA else "",
        text=text,
        evidence=evidence.strip(),
        created_by=actor,
        created_at=now,
    )
    timeline.record_event(
        stream=case.stream,
        type="rca.why_added" if kind is CauseKind.WHY else "rca.cause_added",
        actor=actor,
        now=now,
        data={
            "cause": cause.pk,
            "position": position or None,
            "category": cause.category or None,
            "text": text,
            "evidence": cause.evidence,
        },
    )
    return cause


@transaction.atomic
def mark_root(*, cause: Cause, actor: User | None, now: datetime) -> Cause:
    """Make ``cause`` the case's root cause (and no other)."""
    case = cause.case
    _check_open(case)
    previous = Cause.objects.filter(case=case, is_root=True).exclude(pk=cause.pk).first()
    if previous is not None:
        Cause.objects.filter(pk=previous.pk).update(is_root=False)
    Cause.objects.filter(pk=cause.pk).update(is_root=True)
    cause.is_root = True
    timeline.record_event(
        stream=case.stream,
        type="rca.root_marked",
        actor=actor,
        now=now,
        data={
            "cause": cause.pk,
            "text": cause.text,
            "category": cause.category or None,
            "before": {"root": previous.text if previous else None},
            "after": {"root": cause.text},
        },
    )
    return cause


@transaction.atomic
def add_task(
    *,
    case: Case,
    title: str,
    due_on: date,
    actor: User | None,
    now: datetime,
    owner: User | None = None,
    owner_team: Team | None = None,
    depends_on: ActionTask | None = None,
    blocking: bool = False,
    customer_update: str = "",
    customer_update_on: date | None = None,
) -> ActionTask:
    problems: dict[str, str] = {}
    title = " ".join(title.split())
    if not title:
        problems["title"] = "say what has to be done"
    if owner is None and owner_team is None:
        problems["owner"] = "name a person or a department"
    if depends_on is not None and depends_on.case_id != case.pk:
        problems["depends_on"] = "a task of this case"
    if customer_update_on and customer_update_on < clock.local_date(now):
        problems["customer_update_on"] = "in the past"
    if customer_update_on and not customer_update.strip():
        problems["customer_update"] = "say how the customer will be told"
    if problems:
        raise ValidationError("The task cannot be added.", fields=problems)
    task = ActionTask.objects.create(
        case=case,
        title=title,
        owner=owner,
        owner_team=owner_team,
        due_on=due_on,
        depends_on=depends_on,
        blocking=blocking,
        customer_update=customer_update.strip(),
        customer_update_on=customer_update_on,
        created_by=actor,
        created_at=now,
    )
    timeline.record_event(
        stream=case.stream,
        type="plan.task_added",
        actor=actor,
        now=now,
        data={
            "task": task.pk,
            "title": title,
            "owner": owner.username if owner else None,
            "team": owner_team.slug if owner_team else None,
            "due": due_on.isoformat(),
            "blocking": blocking,
            "depends_on": depends_on.pk if depends_on else None,
            "customer_update": task.customer_update,
        },
    )
    return task


@transaction.atomic
def complete_task(
    *, task: ActionTask, outcome: str, actor: User | None, now: datetime
) -> ActionTask:
    if task.status != "open":
        raise ValidationError(f"The task is already {task.status}.", fields={"task": task.status})
    if task.depends_on is not None and task.depends_on.status != "done":
        raise ValidationError(
            f"“{task.title}” waits for “{task.depends_on.title}”, which is not done yet.",
            fields={"depends_on": "not done"},
        )
    updated = ActionTask.objects.filter(pk=task.pk, status="open").update(
        status="done", done_at=now, outcome=outcome.strip()
    )
    if not updated:
        raise ValidationError("Someone else has just closed this task.", fields={"task": "changed"})
    task.status, task.done_at, task.outcome = "done", now, outcome.strip()
    timeline.record_event(
        stream=task.case.stream,
        type="plan.task_done",
        actor=actor,
        now=now,
        data={"task": task.pk, "title": task.title, "outcome": task.outcome},
    )
    return task


def solution_factors() -> dict[str, tuple[str, float]]:
    return parse_factors(settings.AMENDS_SOLUTION_FACTORS)


@transaction.atomic
def add_option(
    *,
    case: Case,
    title: str,
    scores: dict[str, int],
    actor: User | None,
    now: datetime,
    description: str = "",
    remedy_facts: Facts | None = None,
) -> SolutionOption:
    _check_open(case)
    factors = solution_factors()
    title = " ".join(title.split())
    if not title:
        raise ValidationError("Name the option.", fields={"title": "required"})
    check_scores(scores, factors)
    assessment = assess(remedy_facts).as_dict() if remedy_facts else None
    option = SolutionOption.objects.create(
        case=case,
        title=title,
        description=description.strip(),
        scores=scores,
        weighted=weighted_score(scores, factors),
        remedy_assessment=assessment,
        created_by=actor,
        created_at=now,
    )
    timeline.record_event(
        stream=case.stream,
        type="option.added",
        actor=actor,
        now=now,
        data={
            "option": option.pk,
            "title": title,
            "scores": scores,
            "weighted": option.weighted,
            "remedies": assessment["remedies"] if assessment else None,
        },
    )
    return option


@transaction.atomic
def choose_option(
    *,
    option: SolutionOption,
    justification: str,
    factors_cited: list[str],
    actor: User | None,
    now: datetime,
) -> SolutionOption:
    """Choose ``option`` for stated reasons; the whole decision matrix goes on the timeline."""
    case = option.case
    _check_open(case)
    factors = solution_factors()
    cited = check_justification(justification, factors_cited, factors)
    SolutionOption.objects.filter(case=case, chosen=True).update(chosen=False, chosen_at=None)
    SolutionOption.objects.filter(pk=option.pk).update(
        chosen=True, chosen_at=now, justification=justification.strip(), cited_factors=cited
    )
    option.refresh_from_db()
    matrix = [
        {"option": o.pk, "title": o.title, "scores": o.scores, "weighted": o.weighted}
        for o in SolutionOption.objects.filter(case=case).order_by("id")
    ]
    timeline.record_event(
        stream=case.stream,
        type="option.chosen",
        actor=actor,
        now=now,
        data={
            "option": option.pk,
            "title": option.title,
            "justification": option.justification,
            "factors": cited,
            "weights": {name: weight for name, (_, weight) in factors.items()},
            "matrix": matrix,
        },
    )
    return option


# --- redress --------------------------------------------------------------------------------------


def redress_limits() -> dict[str, Decimal]:
    return parse_limits(settings.AMENDS_REDRESS_LIMITS)


def _redress_event(
    redress: Redress, event_type: str, actor: User | None, now: datetime, **extra: object
) -> None:
    timeline.record_event(
        stream=redress.case.stream,
        type=event_type,
        actor=actor,
        now=now,
        data={
            "redress": redress.pk,
            "kind": redress.kind,
            "basis": redress.basis,
            "amount": str(redress.amount) if redress.amount is not None else None,
            "status": redress.status,
            **extra,
        },
    )


@transaction.atomic
def propose_redress(
    *,
    case: Case,
    kind: RedressKind,
    basis: RedressBasis,
    actor: User,
    now: datetime,
    amount: Decimal | None = None,
    description: str = "",
) -> Redress:
    """Offer redress; above the proposer's approval limit it waits for an approver."""
    amount = check_amount(kind, amount)
    waits = needs_approval(actor.role, amount, redress_limits())
    redress = Redress.objects.create(
        case=case,
        kind=kind.value,
        basis=basis.value,
        amount=amount,
        description=description.strip(),
        status=(RedressStatus.AWAITING_APPROVAL if waits else RedressStatus.OFFERED).value,
        requested_by=actor,
        offered_at=None if waits else now,
        created_at=now,
    )
    if waits:
        limit = redress_limits().get(actor.role, Decimal(0))
        _redress_event(redress, "redress.approval_requested", actor, now, limit=str(limit))
    else:
        _redress_event(redress, "redress.offered", actor, now)
    return redress


@transaction.atomic
def approve_redress(*, redress: Redress, approver: User, now: datetime) -> Redress:
    if redress.status != RedressStatus.AWAITING_APPROVAL:
        raise ValidationError(
            f"This redress is {redress.status}.", fields={"status": redress.status}
        )
    if redress.requested_by_id == approver.pk:
        raise PermissionDeniedError(
            "Someone other than the person who proposed it must approve it."
        )
    if needs_approval(approver.role, redress.amount, redress_limits()):
        raise PermissionDeniedError(
            f"£{redress.amount} is above your approval limit; ask someone with a higher limit."
        )
    claimed = Redress.objects.filter(pk=redress.pk, status=RedressStatus.AWAITING_APPROVAL).update(
        status=RedressStatus.OFFERED, approved_by=approver, approved_at=now, offered_at=now
    )
    if not claimed:
        raise ValidationError("Someone else has just decided this.", fields={"status": "changed"})
    redress.refresh_from_db()
    _redress_event(redress, "redress.approved", approver, now)
    return redress


@transaction.atomic
def record_redress_decision(
    *, redress: Redress, accepted: bool, actor: User | None, now: datetime
) -> Redress:
    if redress.status != RedressStatus.OFFERED:
        raise ValidationError(
            f"Only an offer can be accepted or refused; this one is {redress.status}.",
            fields={"status": redress.status},
        )
    redress.status = (RedressStatus.ACCEPTED if accepted else RedressStatus.REFUSED).value
    redress.decided_at = now
    redress.save(update_fields=["status", "decided_at"])
    _redress_event(redress, "redress.accepted" if accepted else "redress.refused", actor, now)
    return redress


@transaction.atomic
def mark_redress_paid(
    *, redress: Redress, paid_on: date, reference: str, actor: User | None, now: datetime
) -> Redress:
    if redress.status != RedressStatus.ACCEPTED or redress.amount is None:
        raise ValidationError(
            "Only accepted money redress can be paid.", fields={"status": redress.status}
        )
    redress.status, redress.paid_on = RedressStatus.PAID.value, paid_on
    redress.payment_reference = reference.strip()
    redress.save(update_fields=["status", "paid_on", "payment_reference"])
    _redress_event(redress, "redress.paid", actor, now, paid_on=paid_on.isoformat())
    return redress


# --- problem records ------------------------------------------------------------------------------


@transaction.atomic
def create_problem(
    *,
    title: str,
    actor: User | None,
    now: datetime,
    description: str = "",
    root_cause: str = "",
    owner: User | None = None,
) -> Problem:
    title = " ".join(title.split())
    if not title:
        raise ValidationError("Name the problem.", fields={"title": "required"})
    number = next_number(f"problem:{now.year}")
    problem = Problem.objects.create(
        reference=f"P-{now.year}-{number:04d}",
        title=title,
        description=description.strip(),
        root_cause=root_cause.strip(),
        owner=owner,
        created_at=now,
        updated_at=now,
    )
    timeline.record_event(
        stream=problem.stream,
        type="problem.created",
        actor=actor,
        now=now,
        data={
            "title": title,
            "root_cause": problem.root_cause,
            "owner": owner.username if owner else None,
        },
        new_stream=True,
    )
    return problem


@transaction.atomic
def link_case_to_problem(
    *, problem: Problem, case: Case, actor: User | None, now: datetime
) -> None:
    if ProblemCase.objects.filter(problem=problem, case=case).exists():
        raise ValidationError(
            f"{case.reference} is already linked to {problem.reference}.", fields={"case": "linked"}
        )
    ProblemCase.objects.create(problem=problem, case=case, linked_by=actor, linked_at=now)
    timeline.record_event(
        stream=problem.stream,
        type="problem.case_linked",
        actor=actor,
        now=now,
        data={"case": case.reference},
    )
    timeline.record_event(
        stream=case.stream,
        type="case.problem_linked",
        actor=actor,
        now=now,
        data={"problem": problem.reference, "title": problem.title},
    )


@transaction.atomic
def plan_problem_actions(
    *,
    problem: Problem,
    corrective_action: str,
    preventive_action: str,
    effectiveness_check_on: date,
    actor: User | None,
    now: datetime,
) -> Problem:
    problems: dict[str, str] = {}
    if not corrective_action.strip():
        problems["corrective_action"] = "say what will fix the cause"
    if effectiveness_check_on <= clock.local_date(now):
        problems["effectiveness_check_on"] = "a date after today"
    if problems:
        raise ValidationError("The actions cannot be recorded.", fields=problems)
    before = {"status": problem.status}
    problem.corrective_action = corrective_action.strip()
    problem.preventive_action = preventive_action.strip()
    problem.effectiveness_check_on = effectiveness_check_on
    problem.status = "fix_in_progress"
    problem.updated_at = now
    problem.save()
    timeline.record_event(
        stream=problem.stream,
        type="problem.actions_planned",
        actor=actor,
        now=now,
        data={
            "corrective_action": problem.corrective_action,
            "preventive_action": problem.preventive_action,
            "effectiveness_check_on": effectiveness_check_on.isoformat(),
            "before": before,
            "after": {"status": problem.status},
        },
    )
    return problem


@transaction.atomic
def check_problem_effectiveness(
    *, problem: Problem, effective: bool, result: str, actor: User | None, now: datetime
) -> Problem:
    """Record whether the fix worked: closed if it did, open again if it did not."""
    if not problem.corrective_action:
        raise ValidationError(
            "Plan a corrective action first.", fields={"corrective_action": "missing"}
        )
    if not result.strip():
        raise ValidationError("Say what the check found.", fields={"result": "required"})
    before = {"status": problem.status}
    problem.effective, problem.effectiveness_result = effective, result.strip()
    problem.status = "closed" if effective else "open"
    problem.updated_at = now
    problem.save()
    timeline.record_event(
        stream=problem.stream,
        type="problem.effectiveness_checked",
        actor=actor,
        now=now,
        data={
            "effective": effective,
            "result": problem.effectiveness_result,
            "before": before,
            "after": {"status": problem.status},
        },
    )
    return problem
