"""Log a case taken by phone, in person, by letter or on social media: find or create the
customer, record the customer's words and the handler's read-back, save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amends.accounts import selectors as account_selectors
from amends.accounts.auth import web_user
from amends.accounts.domain import SEES_ALL_CASES, can_change_case
from amends.cases import services as case_services
from amends.cases.domain import CaseDetails, CaseKind, Channel, JourneyStage, Priority
from amends.cases.forms import LogCaseForm
from amends.core import clock
from amends.core.errors import AmendsError, PermissionDeniedError, ValidationError
from amends.core.web import is_htmx, show_error, status_for
from amends.customers import selectors as customer_selectors
from amends.customers.access import access_customer, check_can_create_customers
from amends.customers.domain import Adjustment, ContactChannel, ContactDetails, CustomerKind

if TYPE_CHECKING:
    from amends.accounts.models import Team, User

SEARCH_RESULTS = 10


def team_choices(user: User) -> list[tuple[str, str]]:
    """The teams the user may log cases for: their own, or every case-handling team for roles
    that see all cases."""
    teams: list[Team] = [t for t in user.team_list() if t.handles_cases]
    if not teams and user.role_enum in SEES_ALL_CASES:
        teams = list(account_selectors.list_case_teams())
    return [
        (t.slug, t.name) for t in teams if can_change_case(user.role_enum, user.team_ids(), t.pk)
    ]


def _new_customer(data: dict[str, Any]) -> case_services.NewCustomer:
    return case_services.NewCustomer(
        kind=CustomerKind(data.get("new_customer_kind") or CustomerKind.PERSON),
        details=ContactDetails(
            name=data["new_customer_name"],
            email=data.get("new_customer_email", ""),
            phone=data.get("new_customer_phone", ""),
            preferred_channel=ContactChannel(
                data.get("new_customer_preferred_channel") or ContactChannel.PHONE
            ),
            adjustments=tuple(Adjustment(a) for a in data.get("new_customer_adjustments", [])),
        ),
    )


# Where a service names a field differently from the form.
ALIASES = {
    "name": "new_customer_name",
    "email": "new_customer_email",
    "phone": "new_customer_phone",
}


@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    user = web_user(request)
    teams = team_choices(user)
    find = request.GET.get("find", "").strip()[:200]
    results = list(customer_selectors.search_customers(find)[:SEARCH_RESULTS]) if find else []
    chosen_ref = (request.POST.get("customer") or request.GET.get("customer") or "").strip()
    chosen = customer_selectors.find_customer(chosen_ref) if chosen_ref else None
    if is_htmx(request) and request.method == "GET" and "find" in request.GET:
        return render(request, "cases/_customer_results.html", {"results": results, "find": find})
    form = LogCaseForm(
        request.POST or None, teams=teams, initial={"customer": chosen.reference if chosen else ""}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if not data.get("team") and len(teams) == 1:
                data["team"] = teams[0][0]
            try:
                case = _log(user, data)
            except AmendsError as error:
                show_error(form, error, aliases=ALIASES)
                status = status_for(error)
            else:
                messages.success(request, f"Case {case.reference} logged.")
                return redirect("cases:detail", reference=case.reference)
        else:
            status = 422
    context = {
        "nav": "new",
        "form": form,
        "find": find,
        "results": results,
        "chosen": chosen,
        "teams": teams,
    }
    return render(request, "cases/new.html", context, status=status)


def _log(user: User, data: dict[str, Any]) -> Any:
    if not data.get("team"):
        raise ValidationError("Say which team handles the case.", fields={"team": "required"})
    team = account_selectors.get_team(data["team"])
    if not can_change_case(user.role_enum, user.team_ids(), team.pk):
        raise PermissionDeniedError(f"You cannot log cases for team {team.name}.")
    if data.get("customer"):
        customer: Any = access_customer(user, data["customer"])
    else:
        check_can_create_customers(user)
        customer = _new_customer(data)
    details = CaseDetails(
        summary=data.get("summary", ""),
        description=data["description"],
        channel=Channel(data["channel"]),
        category=data.get("category") or None,
        journey_stage=JourneyStage(data["journey_stage"]) if data.get("journey_stage") else None,
        severity=int(data["severity"]),
        priority=Priority(data["priority"]),
        remedy_sought=data.get("remedy_sought", ""),
        read_back=data["read_back"],
    )
    with transaction.atomic():
        case, _ = case_services.create_case(
            kind=CaseKind(data["kind"]),
            details=details,
            customer=customer,
            team=team,
            actor=user,
            now=clock.now(),
        )
    return case
