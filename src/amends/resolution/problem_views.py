"""Problem records: systemic issues behind many cases, their fix and its check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amends.accounts.auth import web_user
from amends.accounts.domain import can_change_case, can_manage_problems
from amends.cases import selectors as case_selectors
from amends.cases.access import access_case
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError, PermissionDeniedError
from amends.core.web import show_error, status_for
from amends.resolution import selectors, services
from amends.resolution.forms import EffectivenessForm, LinkCaseForm, ProblemActionsForm, ProblemForm


def _can_manage(request: HttpRequest) -> Any:
    user = web_user(request)
    if not can_manage_problems(user.role_enum):
        raise PermissionDeniedError("Your role cannot change problem records.")
    return user


@login_required
def problems(request: HttpRequest) -> HttpResponse:
    user = web_user(request)
    form = ProblemForm(request.POST or None, prefix="problem")
    status = 200
    if request.method == "POST":
        _can_manage(request)
        status = 422
        if form.is_valid():
            try:
                problem = services.create_problem(
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data.get("description", ""),
                    root_cause=form.cleaned_data.get("root_cause", ""),
                    owner=user,
                    actor=user,
                    now=clock.now(),
                )
            except AmendsError as error:
                show_error(form, error)
                status = status_for(error)
            else:
                from_case = request.POST.get("from_case", "")
                if from_case:
                    case = access_case(user, from_case, for_write=True)
                    services.link_case_to_problem(
                        problem=problem, case=case, actor=user, now=clock.now()
                    )
                messages.success(request, f"Problem {problem.reference} recorded.")
                return redirect("problem", reference=problem.reference)
    context = {"nav": "problems", "problems": list(selectors.list_problems()[:200]), "form": form}
    return render(request, "resolution/problems.html", context, status=status)


def _problem_page(
    request: HttpRequest, problem: Any, bound: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = web_user(request)
    cases = [link.case for link in problem.links.select_related("case", "case__category")]
    visible = set(
        case_selectors.visible_cases(user)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    context = {
        "nav": "problems",
        "problem": problem,
        "cases": [c for c in cases if c.pk in visible],
        "hidden": len(cases) - len(visible),
        "actions_form": bound.get("actions")
        or ProblemActionsForm(
            prefix="actions",
            initial={
                "corrective_action": problem.corrective_action,
                "preventive_action": problem.preventive_action,
                "effectiveness_check_on": problem.effectiveness_check_on,
            },
        ),
        "check_form": bound.get("check") or EffectivenessForm(prefix="check"),
        "link_form": bound.get("link") or LinkCaseForm(prefix="link"),
        "today": clock.today(),
    }
    return render(request, "resolution/problem.html", context, status=status)


@login_required
def problem_page(request: HttpRequest, reference: str) -> HttpResponse:
    problem = selectors.find_problem(reference)
    if problem is None:
        raise NotFoundError(f"There is no problem {reference!r}.")
    if request.method != "POST":
        return _problem_page(request, problem, {})
    user = _can_manage(request)
    action = request.POST.get("action", "")
    now = clock.now()
    form: Any
    if action == "actions":
        form = ProblemActionsForm(request.POST, prefix="actions")
    elif action == "check":
        form = EffectivenessForm(request.POST, prefix="check")
    elif action == "link":
        form = LinkCaseForm(request.POST, prefix="link")
    else:
        raise NotFoundError(f"No action {action!r}.")
    if not form.is_valid():
        return _problem_page(request, problem, {action: form}, 422)
    data = form.cleaned_data
    try:
        if action == "actions":
            services.plan_problem_actions(
                problem=problem,
                corrective_action=data["corrective_action"],
                preventive_action=data.get("preventive_action", ""),
                effectiveness_check_on=data["effectiveness_check_on"],
                actor=user,
                now=now,
            )
        elif action == "check":
            services.check_problem_effectiveness(
                problem=problem,
                effective=data["effective"],
                result=data["result"],
                actor=user,
                now=now,
            )
        else:
            case = access_case(user, data["case"], for_write=True)
            services.link_case_to_problem(problem=problem, case=case, actor=user, now=now)
    except AmendsError as error:
        show_error(form, error)
        return _problem_page(request, problem, {action: form}, status_for(error))
    messages.success(request, "Problem record updated.")
    return redirect("problem", reference=problem.reference)


@login_required
def link_from_case(request: HttpRequest, reference: str) -> HttpResponse:
    """One action from the case page: link the case to an existing problem."""
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    if not can_change_case(user.role_enum, user.team_ids(), case.team_id):
        raise PermissionDeniedError("Your role cannot change this case.")
    problem = selectors.find_problem(request.POST.get("problem", ""))
    if problem is None:
        messages.error(request, "Choose a problem record to link to.")
        return redirect(f"/cases/{case.reference}/#problems")
    try:
        services.link_case_to_problem(problem=problem, case=case, actor=user, now=clock.now())
    except AmendsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Linked to {problem.reference}.")
    return redirect(f"/cases/{case.reference}/#problems")
