"""The case page: everything about a case, and the forms for each change (handled in
``actions.py``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.accounts import selectors as account_selectors
from amends.accounts.auth import web_user
from amends.accounts.domain import can_change_case, can_see_vulnerability
from amends.cases import presenters, selectors, timeline_view
from amends.cases.access import access_case
from amends.cases.domain import (
    FINISHED,
    CaseKind,
    Status,
)
from amends.cases.forms import (
    AssignForm,
    AttachmentForm,
    DetailsForm,
    FollowUpForm,
    LinkForm,
    MessageForm,
    NoteForm,
    StakeholderForm,
    TransitionForm,
)
from amends.core import clock
from amends.core.errors import NotFoundError
from amends.customers.presenters import customer_detail
from amends.resolution import presenters as rca_presenters
from amends.resolution import selectors as resolution_selectors
from amends.resolution import services as resolution_services
from amends.resolution.forms import (
    CauseForm,
    ChooseOptionForm,
    OptionForm,
    RedressForm,
    TaskForm,
    WhyForm,
)
from amends.sla import selectors as sla_selectors

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case

MOVE_LABELS = {
    Status.ACKNOWLEDGED: "Acknowledge",
    Status.INVESTIGATING: "Investigate",
    Status.SOLUTION_PROPOSED: "Propose a solution",
    Status.AWAITING_CUSTOMER: "Wait for the customer",
    Status.ESCALATED: "Escalate",
    Status.RESOLVED: "Resolve",
    Status.FOLLOW_UP: "Start follow-up",
    Status.CLOSED: "Close",
    Status.REOPENED: "Reopen",
    Status.WITHDRAWN: "Withdraw",
}


def guard_fields(to: Status, kind: CaseKind) -> list[str]:
    """The fields a move asks for: what its guard needs, and a reason where one helps."""
    if to is Status.RESOLVED:
        if kind is CaseKind.COMPLAINT:
            return ["resolution_summary", "outcome", "root_cause"]
        return ["resolution_summary"]
    return {
        Status.CLOSED: ["customer_confirmed"],
        Status.WITHDRAWN: ["reason"],
        Status.ESCALATED: ["level", "reason"],
        Status.REOPENED: ["reason"],
        Status.AWAITING_CUSTOMER: ["reason"],
    }.get(to, [])


def team_people(case: Case) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    teams = [(t.slug, t.name) for t in account_selectors.list_case_teams()]
    people = [
        (u.username, f"{u.get_full_name() or u.username} ({u.username})")
        for u in account_selectors.list_members([case.team_id])
    ]
    return teams, people


def people_and_departments() -> list[tuple[str, str]]:
    users = [
        (f"user:{u.username}", u.get_full_name() or u.username)
        for u in account_selectors.list_members([t.pk for t in account_selectors.list_teams()])
    ]
    teams = [(f"team:{t.slug}", f"{t.name} (department)") for t in account_selectors.list_teams()]
    return [("People", users), ("Departments", teams)]  # type: ignore[list-item]


def task_choices(tasks: list[Any]) -> list[tuple[str, str]]:
    return [(str(t.pk), t.title) for t in tasks if t.status == "open"]


def _details_initial(case: Case) -> dict[str, Any]:
    return {
        "version": case.version,
        "summary": case.summary,
        "description": case.description,
        "read_back": case.read_back,
        "remedy_sought": case.remedy_sought,
        "category": case.category.slug if case.category else "",
        "channel": case.channel,
        "journey_stage": case.journey_stage,
        "severity": str(case.severity),
        "priority": case.priority,
    }


def page_context(
    user: User, case: Case, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    now = clock.now()
    detail = presenters.case_detail(case, user, now)
    kind = CaseKind(case.kind)
    moves = []
    for value in detail["allowed_transitions"]:
        to = Status(value)
        prefix = f"move-{to.value}"
        form = bound.get(prefix) or TransitionForm(
            prefix=prefix,
            initial={"to": to.value, "version": case.version, "level": case.escalation_level + 1},
        )
        label = MOVE_LABELS[to]
        if case.status == Status.AWAITING_CUSTOMER and to is not Status.WITHDRAWN:
            label = f"Resume: {MOVE_LABELS[to].lower()}"
        moves.append(
            {
                "to": to.value,
                "label": label,
                "form": form,
                "fields": [form[name] for name in guard_fields(to, kind)],
                "open": prefix in bound,
            }
        )
    teams, people = team_people(case)
    tasks = list(resolution_selectors.list_tasks(case))
    factors = resolution_services.solution_factors()

    def pick(name: str, make: Callable[[], forms.Form]) -> forms.Form:
        return bound.get(name) or make()

    return {
        "nav": "queues",
        "case": case,
        "detail": detail,
        "customer": customer_detail(case.customer, user),
        "sees_vulnerability": can_see_vulnerability(user.role_enum),
        "can_change": can_change_case(user.role_enum, user.team_ids(), case.team_id),
        "finished": Status(case.status) in FINISHED,
        "entries": timeline_view.entries(selectors.list_timeline(case, limit=2000)),
        "follow_ups": list(selectors.list_follow_ups(case)),
        "clocks": list(sla_selectors.list_clocks(case)),
        "rca": rca_presenters.analysis(resolution_selectors.list_causes(case), case.summary),
        "tasks": tasks,
        "redress": list(resolution_selectors.list_redress(case)),
        "problems": list(resolution_selectors.problems_of(case)),
        "open_problems": list(
            resolution_selectors.list_problems().exclude(status="closed").order_by("-id")[:100]
        ),
        "similar": resolution_selectors.similar_open_cases(case, selectors.visible_cases(user)),
        "options": [
            {
                "option": o,
                "cells": [o.scores.get(name) for name in factors],
                "choose": bound.get(f"choose-{o.pk}")
                or ChooseOptionForm(prefix=f"choose-{o.pk}", factors=factors),
                "open": f"choose-{o.pk}" in bound,
            }
            for o in resolution_selectors.list_options(case)
        ],
        "factors": [(label, weight) for label, weight in factors.values()],
        "today": clock.today(),
        "attachments": list(selectors.list_attachments(case)),
        "moves": moves,
        "forms": {
            "assign": pick(
                "assign",
                lambda: AssignForm(
                    prefix="assign",
                    teams=teams,
                    people=people,
                    initial={
                        "version": case.version,
                        "team": case.team.slug,
                        "assignee": case.assignee.username if case.assignee else "",
                    },
                ),
            ),
            "details": pick(
                "details", lambda: DetailsForm(prefix="details", initial=_details_initial(case))
            ),
            "stakeholder": pick(
                "stakeholder",
                lambda: StakeholderForm(prefix="stakeholder", who=people_and_departments()),
            ),
            "link": pick("link", lambda: LinkForm(prefix="link")),
            "why": pick("why", lambda: WhyForm(prefix="why")),
            "option": pick("option", lambda: OptionForm(prefix="option", factors=factors)),
            "redress": pick("redress", lambda: RedressForm(prefix="redress")),
            "task": pick(
                "task",
                lambda: TaskForm(
                    prefix="task", owners=people_and_departments(), tasks=task_choices(tasks)
                ),
            ),
            "cause": pick("cause", lambda: CauseForm(prefix="cause")),
            "message": pick(
                "message",
                lambda: MessageForm(prefix="message", initial={"channel": case.channel}),
            ),
            "note": pick("note", lambda: NoteForm(prefix="note")),
            "attachment": pick("attachment", lambda: AttachmentForm(prefix="attachment")),
            "follow_up": pick(
                "follow_up",
                lambda: FollowUpForm(
                    prefix="follow_up", initial={"channel": case.customer.preferred_channel}
                ),
            ),
        },
        "open_form": next(iter(bound), None),
    }


@login_required
@require_GET
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference)
    return render(request, "cases/case.html", page_context(user, case))


@login_required
@require_GET
def download_attachment(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    case = access_case(web_user(request), reference)
    attachment = selectors.get_attachment(case, attachment_id)
    if attachment is None:
        raise NotFoundError("There is no such attachment on this case.")
    response = FileResponse(
        io.BytesIO(selectors.read_attachment(attachment)),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.filename,
    )
    return response
