"""Root-cause analysis from the case page: add a why, add a fishbone cause, mark the root."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.accounts import selectors as account_selectors
from amends.accounts.auth import web_user
from amends.cases.access import access_case
from amends.cases.views.page import page_context, people_and_departments, task_choices
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError
from amends.core.web import show_error, status_for
from amends.resolution import selectors, services, summary
from amends.resolution.domain import CauseKind, IshikawaCategory, RedressBasis, RedressKind
from amends.resolution.forms import (
    CauseForm,
    ChooseOptionForm,
    OptionForm,
    RedressForm,
    TaskDoneForm,
    TaskForm,
    WhyForm,
)


@login_required
@require_POST
def add_why(request: HttpRequest, reference: str) -> HttpResponse:
    return _add(request, reference, WhyForm(request.POST, prefix="why"), CauseKind.WHY)


@login_required
@require_POST
def add_cause(request: HttpRequest, reference: str) -> HttpResponse:
    return _add(request, reference, CauseForm(request.POST, prefix="cause"), CauseKind.ISHIKAWA)


def _add(
    request: HttpRequest, reference: str, form: WhyForm | CauseForm, kind: CauseKind
) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_cause(
                case=case,
                kind=kind,
                text=data["text"],
                evidence=data.get("evidence", ""),
                category=IshikawaCategory(data["category"]) if data.get("category") else None,
                actor=user,
                now=clock.now(),
            )
        except AmendsError as error:
            show_error(form, error)
            status = status_for(error)
        else:
            messages.success(request, "Cause recorded.")
            return redirect(f"/cases/{case.reference}/#rca")
    context = page_context(user, case, {form.prefix or "form": form})
    return render(request, "cases/case.html", context, status=status)


@login_required
@require_POST
def mark_root(request: HttpRequest, reference: str, cause_id: int) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    cause = selectors.find_cause(case, cause_id)
    if cause is None:
        raise NotFoundError("That cause is not on this case.")
    services.mark_root(cause=cause, actor=user, now=clock.now())
    messages.success(request, "Root cause marked.")
    return redirect(f"/cases/{case.reference}/#rca")


@login_required
@require_POST
def add_task(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    tasks = list(selectors.list_tasks(case))
    owners = people_and_departments()
    form = TaskForm(request.POST, prefix="task", owners=owners, tasks=task_choices(tasks))
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        what, _, name = data["owner"].partition(":")
        try:
            services.add_task(
                case=case,
                title=data["title"],
                due_on=data["due_on"],
                owner=account_selectors.get_user(name) if what == "user" else None,
                owner_team=account_selectors.get_team(name) if what == "team" else None,
                depends_on=selectors.find_task(case, int(data["depends_on"]))
                if data.get("depends_on")
                else None,
                blocking=data.get("blocking", False),
                customer_update=data.get("customer_update", ""),
                customer_update_on=data.get("customer_update_on"),
                actor=user,
                now=clock.now(),
            )
        except AmendsError as error:
            show_error(form, error)
            status = status_for(error)
        else:
            messages.success(request, "Task added to the action plan.")
            return redirect(f"/cases/{case.reference}/#plan")
    context = page_context(user, case, {"task": form})
    return render(request, "cases/case.html", context, status=status)


@login_required
@require_POST
def complete_task(request: HttpRequest, reference: str, task_id: int) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    task = selectors.find_task(case, task_id)
    if task is None:
        raise NotFoundError("That task is not on this case.")
    form = TaskDoneForm(request.POST, prefix=f"done-{task_id}")
    outcome = form.cleaned_data.get("outcome", "") if form.is_valid() else ""
    try:
        services.complete_task(task=task, outcome=outcome, actor=user, now=clock.now())
    except AmendsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Done: {task.title}.")
    return redirect(f"/cases/{case.reference}/#plan")


@login_required
@require_POST
def add_option(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    form = OptionForm(request.POST, prefix="option", factors=services.solution_factors())
    status = 422
    if form.is_valid():
        try:
            services.add_option(
                case=case,
                title=form.cleaned_data["title"],
                description=form.cleaned_data.get("description", ""),
                scores=form.scores(),
                actor=user,
                now=clock.now(),
            )
        except AmendsError as error:
            show_error(form, error, aliases={k: f"score_{k}" for k in form.scores()})
            status = status_for(error)
        else:
            messages.success(request, "Option added.")
            return redirect(f"/cases/{case.reference}/#options")
    return render(
        request, "cases/case.html", page_context(user, case, {"option": form}), status=status
    )


@login_required
@require_POST
def choose_option(request: HttpRequest, reference: str, option_id: int) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    option = selectors.find_option(case, option_id)
    if option is None:
        raise NotFoundError("That option is not on this case.")
    prefix = f"choose-{option_id}"
    try:
        services.choose_option(
            option=option,
            justification=request.POST.get(f"{prefix}-justification", ""),
            factors_cited=request.POST.getlist(f"{prefix}-factors"),
            actor=user,
            now=clock.now(),
        )
    except AmendsError as error:
        form = ChooseOptionForm(request.POST, prefix=prefix, factors=services.solution_factors())
        form.is_valid()
        show_error(form, error)
        status = status_for(error)
    else:
        messages.success(request, f"Chosen: {option.title}.")
        return redirect(f"/cases/{case.reference}/#options")
    return render(
        request, "cases/case.html", page_context(user, case, {prefix: form}), status=status
    )


@login_required
@require_POST
def propose_redress(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    form = RedressForm(request.POST, prefix="redress")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            redress = services.propose_redress(
                case=case,
                kind=RedressKind(data["kind"]),
                basis=RedressBasis(data["basis"]),
                amount=data.get("amount"),
                description=data.get("description", ""),
                actor=user,
                now=clock.now(),
            )
        except AmendsError as error:
            show_error(form, error)
            status = status_for(error)
        else:
            waits = redress.status == "awaiting_approval"
            messages.success(
                request, "Sent for approval." if waits else "Redress offered to the customer."
            )
            return redirect(f"/cases/{case.reference}/#redress")
    return render(
        request, "cases/case.html", page_context(user, case, {"redress": form}), status=status
    )


@login_required
@require_POST
def redress_action(
    request: HttpRequest, reference: str, redress_id: int, action: str
) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    redress = selectors.find_redress(redress_id)
    if redress is None or redress.case_id != case.pk:
        raise NotFoundError("That redress is not on this case.")
    now = clock.now()
    try:
        if action == "approve":
            services.approve_redress(redress=redress, approver=user, now=now)
        elif action in ("accepted", "refused"):
            services.record_redress_decision(
                redress=redress, accepted=action == "accepted", actor=user, now=now
            )
        elif action == "paid":
            services.mark_redress_paid(
                redress=redress,
                paid_on=clock.today(),
                reference=request.POST.get("reference", "")[:100],
                actor=user,
                now=now,
            )
        else:
            raise NotFoundError(f"No action {action!r}.")
    except AmendsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Redress updated.")
    return redirect(f"/cases/{case.reference}/#redress")


@login_required
def closure_summary(request: HttpRequest, reference: str) -> HttpResponse:
    """The whole case as evidence: HTML, or PDF with ``?format=pdf``."""
    user = web_user(request)
    case = access_case(user, reference)
    data = summary.build(case)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(summary.pdf_bytes(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{case.reference}-summary.pdf"'
        return response
    return render(request, "resolution/summary.html", {**data, "nav": "queues"})
