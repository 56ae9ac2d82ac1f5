"""Every change made from the case page. Each change is a plain form post that
redirects back to the page; a refused change re-shows the page with the person's input kept
and the reason beside the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from amends.accounts import selectors as account_selectors
from amends.accounts.auth import web_user
from amends.cases import selectors, timeline_view
from amends.cases import services as case_services
from amends.cases.access import access_case
from amends.cases.domain import (
    CaseDetails,
    Channel,
    Direction,
    FollowUpResult,
    JourneyStage,
    LinkKind,
    Outcome,
    Priority,
    StakeholderRole,
    Status,
    TransitionRequest,
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
from amends.cases.views.page import page_context, people_and_departments, team_people
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError, StaleVersionError
from amends.core.web import show_error, status_for

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


def _stale_message(case: Case) -> str:
    last = selectors.last_change(case)
    if last is None:
        return "This case changed since you opened it."
    when = timezone.localtime(last.occurred_at).strftime("%d %b %Y at %H:%M")
    return (
        f"{last.actor_label} changed this case ({timeline_view.entry(last).title.lower()}) on "
        f"{when}, after you opened it. Your change has not been saved: your input is kept below; "
        "check the case and send it again."
    )


def _with_current_version(form: forms.Form, case: Case) -> forms.Form:
    """The same input, re-bound at the case's current version, so a second send can work."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix("version")] = str(case.version)
    again = type(form)(data, form.files, prefix=form.prefix, **getattr(form, "_extra", {}))
    again.is_valid()
    return again


def _refused(
    request: HttpRequest, user: User, reference: str, form: forms.Form, error: AmendsError
) -> HttpResponse:
    case = access_case(user, reference)
    if isinstance(error, StaleVersionError):
        form = _with_current_version(form, case)
        form.add_error(None, _stale_message(case))
    else:
        show_error(form, error)
    key = form.prefix or "form"
    return render(
        request, "cases/case.html", page_context(user, case, {key: form}), status=status_for(error)
    )


def _invalid(request: HttpRequest, user: User, reference: str, form: forms.Form) -> HttpResponse:
    case = access_case(user, reference)
    key = form.prefix or "form"
    return render(request, "cases/case.html", page_context(user, case, {key: form}), status=422)


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:detail", reference=case.reference)


def _act(
    request: HttpRequest,
    reference: str,
    form: forms.Form,
    change: Callable[[User, Case, dict[str, Any]], str],
) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    if not form.is_valid():
        return _invalid(request, user, reference, form)
    try:
        with transaction.atomic():
            message = change(user, case, form.cleaned_data)
    except AmendsError as error:
        return _refused(request, user, reference, form, error)
    return _done(request, case, message)


@login_required
@require_POST
def transition(request: HttpRequest, reference: str, to: str) -> HttpResponse:
    if to not in {s.value for s in Status}:
        raise NotFoundError(f"There is no status {to!r}.")
    form = TransitionForm(request.POST, prefix=f"move-{to}")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        case_services.transition_case(
            case=case,
            request=TransitionRequest(
                to=Status(to),
                resolution_summary=data.get("resolution_summary") or None,
                outcome=Outcome(data["outcome"]) if data.get("outcome") else None,
                root_cause=data.get("root_cause") or None,
                customer_confirmed=bool(data.get("customer_confirmed")),
                reason=data.get("reason") or None,
                level=data.get("level") if to == Status.ESCALATED else None,
            ),
            expected_version=data["version"],
            actor=user,
            now=clock.now(),
        )
        return f"Case {case.reference} is now {Status(to).value.replace('_', ' ')}."

    return _act(request, reference, form, change)


@login_required
@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    teams, people = team_people(case)
    form = AssignForm(request.POST, prefix="assign", teams=teams, people=people)
    form._extra = {"teams": teams, "people": people}  # type: ignore[attr-defined]

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        assignee = account_selectors.find_user(data["assignee"]) if data.get("assignee") else None
        case_services.assign_case(
            case=case,
            team=account_selectors.get_team(data["team"]),
            assignee=assignee,
            expected_version=data["version"],
            actor=user,
            now=clock.now(),
        )
        who = assignee.get_full_name() or assignee.username if assignee else "nobody"
        return f"Case {case.reference} is now with {who} in {case.team.name}."

    return _act(request, reference, form, change)


@login_required
@require_POST
def edit_details(request: HttpRequest, reference: str) -> HttpResponse:
    form = DetailsForm(request.POST, prefix="details")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        case_services.update_case_details(
            case=case,
            details=CaseDetails(
                summary=data.get("summary", ""),
                description=data["description"],
                channel=Channel(data["channel"]),
                category=data.get("category") or None,
                journey_stage=JourneyStage(data["journey_stage"])
                if data.get("journey_stage")
                else None,
                severity=int(data["severity"]),
                priority=Priority(data["priority"]),
                remedy_sought=data.get("remedy_sought", ""),
                product=case.product,
                read_back=data.get("read_back", ""),
            ),
            expected_version=data["version"],
            actor=user,
            now=clock.now(),
        )
        return "Details saved."

    return _act(request, reference, form, change)


@login_required
@require_POST
def add_stakeholder(request: HttpRequest, reference: str) -> HttpResponse:
    choices = people_and_departments()
    form = StakeholderForm(request.POST, prefix="stakeholder", who=choices)
    form._extra = {"who": choices}  # type: ignore[attr-defined]

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        what, _, name = data["who"].partition(":")
        case_services.add_stakeholder(
            case=case,
            role=StakeholderRole(data["role"]),
            user=account_selectors.get_user(name) if what == "user" else None,
            team=account_selectors.get_team(name) if what == "team" else None,
            note=data.get("note", ""),
            actor=user,
            now=clock.now(),
        )
        return "Stakeholder added."

    return _act(request, reference, form, change)


@login_required
@require_POST
def remove_stakeholder(request: HttpRequest, reference: str, stakeholder_id: int) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    stakeholder = case.stakeholders.filter(pk=stakeholder_id).first()
    if stakeholder is None:
        raise NotFoundError("That stakeholder is not on this case.")
    case_services.remove_stakeholder(stakeholder=stakeholder, actor=user, now=clock.now())
    return _done(request, case, "Stakeholder removed.")


@login_required
@require_POST
def add_link(request: HttpRequest, reference: str) -> HttpResponse:
    form = LinkForm(request.POST, prefix="link")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        target = access_case(user, data["target"])
        case_services.link_cases(
            case=case, target=target, kind=LinkKind(data["kind"]), actor=user, now=clock.now()
        )
        return f"Linked to {target.reference}."

    return _act(request, reference, form, change)


@login_required
@require_POST
def add_message(request: HttpRequest, reference: str) -> HttpResponse:
    form = MessageForm(request.POST, prefix="message")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        case_services.record_message(
            case=case,
            direction=Direction(data["direction"]),
            channel=Channel(data["channel"]),
            subject=data.get("subject", ""),
            body=data["body"],
            communication=data.get("communication") or None,
            content_items=data.get("content_items", []),
            actor=user,
            now=clock.now(),
        )
        return "Message recorded."

    return _act(request, reference, form, change)


@login_required
@require_POST
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    form = NoteForm(request.POST, prefix="note")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        case_services.add_note(case=case, body=data["body"], actor=user, now=clock.now())
        return "Note added."

    return _act(request, reference, form, change)


@login_required
@require_POST
def add_attachment(request: HttpRequest, reference: str) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        upload = data["file"]
        case_services.add_attachment(
            case=case, filename=upload.name, data=upload.read(), actor=user, now=clock.now()
        )
        return f"Attached {upload.name}."

    return _act(request, reference, form, change)


@login_required
@require_POST
def record_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    form = FollowUpForm(request.POST, prefix="follow_up")

    def change(user: User, case: Case, data: dict[str, Any]) -> str:
        case_services.record_follow_up_attempt(
            case=case,
            channel=Channel(data["channel"]),
            result=FollowUpResult(data["result"]),
            note=data.get("note", ""),
            actor=user,
            now=clock.now(),
        )
        return "Follow-up attempt recorded."

    return _act(request, reference, form, change)
