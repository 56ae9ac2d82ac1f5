"""Root-cause analysis from the case page: add a why, add a fishbone cause, mark the root."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.accounts.auth import web_user
from amends.cases.access import access_case
from amends.cases.views.page import page_context
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError
from amends.core.web import show_error, status_for
from amends.resolution import selectors, services
from amends.resolution.domain import CauseKind, IshikawaCategory
from amends.resolution.forms import CauseForm, WhyForm


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
