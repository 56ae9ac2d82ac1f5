"""Action plans: tasks with owners, dates and dependencies.

Each change is an event on a timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction

from amends.core import clock, timeline
from amends.core.errors import ValidationError
from amends.resolution.models import (
    ActionTask,
)

if TYPE_CHECKING:
    from amends.accounts.models import Team, User
    from amends.cases.models import Case


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
