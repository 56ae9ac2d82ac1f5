"""Action plans: owners, dates, dependencies, the customer's updates, and blocking tasks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client

from amends.accounts.models import Team, User
from amends.cases import services as case_services
from amends.cases.domain import Outcome, Status, TransitionRequest
from amends.cases.models import Case
from amends.core.errors import TransitionNotAllowedError, ValidationError
from amends.core.models import Event
from amends.resolution import services
from amends.resolution.models import ActionTask
from tests.conftest import NOW

RESOLVE = TransitionRequest(
    to=Status.RESOLVED,
    resolution_summary="Refunded and fixed the tariff",
    outcome=Outcome.UPHELD,
    root_cause="Tariff change not applied",
)


def task(case: Case, agent: User, title: str, **kwargs: object) -> ActionTask:
    kwargs.setdefault("owner", agent)
    kwargs.setdefault("due_on", date(2026, 11, 10))
    return services.add_task(case=case, title=title, actor=agent, now=NOW, **kwargs)  # type: ignore[arg-type]


def test_a_blocking_task_keeps_the_case_from_being_resolved(
    make_case: Callable[..., Case], agent: User, other_team: Team
) -> None:
    case = make_case(status=Status.INVESTIGATING)
    refund = task(case, agent, "Refund the second payment", blocking=True)
    task(case, agent, "Tell billing about the bug", owner=None, owner_team=other_team)
    with pytest.raises(TransitionNotAllowedError, match="Refund the second payment"):
        case_services.transition_case(
            case=case, request=RESOLVE, expected_version=case.version, actor=agent, now=NOW
        )
    services.complete_task(task=refund, outcome="Refunded £80 on 5 November", actor=agent, now=NOW)
    case_services.transition_case(
        case=case, request=RESOLVE, expected_version=case.version, actor=agent, now=NOW
    )
    types = list(
        Event.objects.filter(stream=case.stream, type__startswith="plan.")
        .order_by("seq")
        .values_list("type", flat=True)
    )
    assert types == ["plan.task_added", "plan.task_added", "plan.task_done"]


def test_a_task_waits_for_the_one_it_depends_on(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    fix = task(case, agent, "Fix the tariff")
    rebill = task(case, agent, "Re-issue the bill", depends_on=fix)
    with pytest.raises(ValidationError, match="waits for"):
        services.complete_task(task=rebill, outcome="", actor=agent, now=NOW)
    services.complete_task(task=fix, outcome="", actor=agent, now=NOW)
    services.complete_task(
        task=ActionTask.objects.get(pk=rebill.pk), outcome="", actor=agent, now=NOW
    )
    with pytest.raises(ValidationError, match="already done"):
        services.complete_task(
            task=ActionTask.objects.get(pk=rebill.pk), outcome="", actor=agent, now=NOW
        )


def test_a_task_needs_an_owner_and_a_way_to_tell_the_customer(
    make_case: Callable[..., Case], agent: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        task(
            make_case(),
            agent,
            " ",
            owner=None,
            customer_update_on=NOW.date() + timedelta(days=3),
        )
    assert set(refused.value.fields) == {"title", "owner", "customer_update"}


def test_overdue_tasks_are_flagged_on_queues_and_the_page_adds_tasks(
    make_case: Callable[..., Case], agent: User
) -> None:
    case = make_case()
    task(case, agent, "Call the customer back", due_on=date(2026, 11, 3))
    due, update_on = date.today() + timedelta(days=7), date.today() + timedelta(days=8)
    client = Client()
    client.force_login(agent)
    assert "Task overdue" in client.get("/cases/?queue=team").content.decode()
    response = client.post(
        f"/cases/{case.reference}/tasks/",
        {
            "task-title": "Send the corrected bill",
            "task-owner": f"user:{agent.username}",
            "task-due_on": due.isoformat(),
            "task-blocking": "on",
            "task-customer_update": "Letter with the new bill",
            "task-customer_update_on": update_on.isoformat(),
        },
    )
    assert response.status_code == 302
    added = ActionTask.objects.get(title="Send the corrected bill")
    assert added.blocking and added.customer_update_on == update_on
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Blocks resolution" in page
    client.post(
        f"/cases/{case.reference}/tasks/{added.pk}/done/", {f"done-{added.pk}-outcome": "Posted"}
    )
    added.refresh_from_db()
    assert added.status == "done" and added.outcome == "Posted"
    bad = client.post(f"/cases/{case.reference}/tasks/", {"task-title": "No owner or date"})
    assert bad.status_code == 422
