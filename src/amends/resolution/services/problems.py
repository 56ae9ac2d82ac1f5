"""Problem records: systemic issues behind many cases, their fix and its check.

Each change is an event on a timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction

from amends.core import clock, timeline
from amends.core.errors import ValidationError
from amends.core.sequences import next_number
from amends.resolution.models import (
    Problem,
    ProblemCase,
)

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


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
