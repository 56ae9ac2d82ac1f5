"""Queues: my cases, my teams' cases, unassigned, and saved filters. htmx swaps the results;
without JavaScript the same links and forms reload the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.auth import web_user
from amends.cases import presenters, selectors
from amends.cases import services as case_services
from amends.cases.forms import QueueFilterForm, SaveFilterForm
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError
from amends.core.web import is_htmx, show_error, status_for

if TYPE_CHECKING:
    from amends.accounts.models import User

QUEUES = (
    ("mine", "My cases"),
    ("team", "My teams' cases"),
    ("unassigned", "Unassigned"),
    ("due", "Due soon"),
)
# The "due soon" queue: a running clock falls due within this many days, or is overdue.
DUE_SOON_DAYS = 2
FILTER_FIELDS = tuple(QueueFilterForm.base_fields)
PAGE_SIZE = 50


def base_query(user: User, queue: str) -> selectors.CaseQuery:
    teams = [t.slug for t in user.team_list() if t.handles_cases]
    if queue == "mine":
        return selectors.CaseQuery(status=["open"], assignee="me")
    if queue == "unassigned":
        return selectors.CaseQuery(status=["open"], assignee="none", team=teams)
    if queue == "team":
        return selectors.CaseQuery(status=["open"], team=teams)
    if queue == "due":
        return selectors.CaseQuery(
            status=["open"],
            team=teams,
            due_before=clock.today() + timedelta(days=DUE_SOON_DAYS),
            sort="next_due_on",
        )
    return selectors.CaseQuery(status=["open"])


def filtered(query: selectors.CaseQuery, data: dict[str, Any]) -> selectors.CaseQuery:
    """``query`` narrowed by what the filter form holds; a status chosen there replaces the
    queue's own."""
    changes: dict[str, Any] = {}
    for name in ("status", "kind", "category", "priority", "channel", "journey_stage"):
        if data.get(name):
            changes[name] = list(data[name])
    if data.get("severity"):
        changes["severity"] = [int(s) for s in data["severity"]]
    if data.get("assignee"):
        changes["assignee"] = data["assignee"].strip()
    if data.get("q"):
        changes["q"] = data["q"]
    if data.get("older_than") is not None:
        changes["created_to"] = clock.now() - timedelta(days=data["older_than"])
    if data.get("sort"):
        changes["sort"] = data["sort"]
    return replace(query, **changes)


def _filter_params(params: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        values = [v for v in params.getlist(name) if v != ""]
        if values:
            kept.setlist(name, values)
    return kept


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = web_user(request)
    which = request.GET.get("queue", "mine")
    saved = list(selectors.list_saved_filters(user))
    saved_filter = None
    params = _filter_params(request.GET)
    if which.startswith("saved-"):
        saved_filter = next((s for s in saved if f"saved-{s.pk}" == which), None)
        if saved_filter is None:
            raise NotFoundError("That saved filter does not exist, or is not yours.")
        if not params:
            params = QueryDict(mutable=True)
            for name, values in saved_filter.params.items():
                params.setlist(name, values)
    elif which not in dict(QUEUES):
        which = "mine"
    form = QueueFilterForm(params)
    status = 200
    rows: list[dict[str, Any]] = []
    next_cursor = None
    query = base_query(user, which)
    if form.is_valid():
        query = filtered(query, form.cleaned_data)
        try:
            page = selectors.list_cases(
                user, replace(query, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
            )
            rows, next_cursor = presenters.case_rows(page.items), page.next_cursor
        except AmendsError as error:
            show_error(form, error)
            status = status_for(error)
    else:
        status = 422
    counts = {name: selectors.count_cases(user, base_query(user, name)) for name, _ in QUEUES}
    context = {
        "nav": "queues",
        "queues": [(name, title, counts[name]) for name, title in QUEUES],
        "saved": saved,
        "current": which,
        "saved_filter": saved_filter,
        "form": form,
        "rows": rows,
        "params": params.urlencode(),
        "next_cursor": next_cursor,
        "first_page": not request.GET.get("cursor"),
        "save_form": SaveFilterForm(),
        "total": selectors.count_cases(user, query) if status == 200 else None,
        "today": clock.today(),
    }
    template = "cases/_queue_results.html" if is_htmx(request) else "cases/queue.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def save_filter(request: HttpRequest) -> HttpResponse:
    user = web_user(request)
    params = QueryDict(request.POST.get("params", ""))
    form = SaveFilterForm(request.POST)
    filters = QueueFilterForm(_filter_params(params))
    if form.is_valid() and filters.is_valid():
        try:
            saved = case_services.save_filter(
                owner=user,
                name=form.cleaned_data["name"],
                params={k: v for k, v in _filter_params(params).lists()},
                now=clock.now(),
            )
        except AmendsError as error:
            messages.error(request, error.message)
            return redirect(f"/cases/?{params.urlencode()}")
        messages.success(request, f"Saved the filter {saved.name!r}.")
        return redirect(f"/cases/?queue=saved-{saved.pk}")
    problem = (
        "; ".join(str(e) for errors in form.errors.values() for e in errors) or "check the filters"
    )
    messages.error(request, f"The filter was not saved: {problem}.")
    return redirect(f"/cases/?{params.urlencode()}")


@login_required
@require_POST
def delete_filter(request: HttpRequest, filter_id: int) -> HttpResponse:
    user = web_user(request)
    saved = selectors.find_saved_filter(user, filter_id)
    if saved is None:
        raise NotFoundError("That saved filter does not exist, or is not yours.")
    case_services.delete_filter(saved=saved)
    messages.success(request, f"Deleted the filter {saved.name!r}.")
    return redirect("cases:queue")
