"""The customer portal's pages. Every action is a plain form post: no JavaScript needed."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from amends.cases import selectors as case_selectors
from amends.core import clock
from amends.core.errors import AmendsError, AttachmentRejectedError, NotFoundError
from amends.core.web import client_ip, show_error, status_for
from amends.customers.domain import Adjustment, ContactChannel
from amends.portal import links, passwords, presenters, selectors, services, session
from amends.portal.access import access_portal_case
from amends.portal.domain import ProblemDraft
from amends.portal.forms import (
    ChoosePasswordForm,
    EvidenceForm,
    LinkForm,
    PasswordSignInForm,
    RaiseForm,
    ReplyForm,
    WithdrawForm,
    uploads,
)

if TYPE_CHECKING:
    from amends.cases.models import Case

RAISED = "portal_raised"
FILE_ALIASES = {"file": "evidence"}
PortalView = Callable[..., HttpResponse]


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    customer_id = session.customer_id(request, clock.now())
    customer = selectors.find_customer(customer_id) if customer_id else None
    large = customer is not None and Adjustment.LARGE_PRINT.value in customer.adjustments
    context = {"portal_customer": customer, "large_print": large, **context}
    return render(request, template, context, status=status)


def signed_in(view: PortalView) -> PortalView:
    """Only for a customer with a portal session; others are sent to ask for a link."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer_id = session.customer_id(request, clock.now())
        if customer_id is None:
            messages.info(request, "Please sign in with a link from your email to continue.")
            return redirect("portal:start")
        try:
            return view(request, customer_id, *args, **kwargs)
        except NotFoundError as error:
            return _page(request, "portal/not_found.html", {"message": error.message}, 404)

    return wrapper


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link, or go on to raise a problem."""
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = client_ip(request)
        outcome = links.request_link(
            email=form.cleaned_data["email"], client=client, now=clock.now()
        )
        if outcome is links.LinkRequest.LIMITED:
            return _page(request, "portal/link_limited.html", {}, status=429)
        return _page(request, "portal/link_sent.html", {"email": form.cleaned_data["email"]})
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "password_form": PasswordSignInForm(prefix="password")}
    return _page(request, "portal/start.html", context, status)


def _draft(data: dict[str, Any]) -> ProblemDraft:
    return ProblemDraft(
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        address=data["address"],
        postcode=data["postcode"],
        what_happened=data["what_happened"],
        what_we_should_do=data["what_we_should_do"],
        contact_by=ContactChannel(data["contact_by"]),
        adjustments=tuple(Adjustment(a) for a in data["adjustments"]),
        anything_else=data["anything_else"],
    )


@never_cache
def raise_problem(request: HttpRequest) -> HttpResponse:
    customer_id = session.customer_id(request, clock.now())
    known = selectors.find_customer(customer_id) if customer_id else None
    initial = {"name": known.name, "email": known.email} if known else {}
    form = RaiseForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and not customer_id and not links.may_raise_from(client_ip(request)):
            form.add_error(
                None,
                "You have sent us several problems in the last hour. Please wait an hour and "
                "try again, or call us. Nothing you typed here has been lost.",
            )
            status = 429
        elif form.is_valid():
            try:
                raised = services.raise_problem(
                    draft=_draft(form.cleaned_data),
                    uploads=uploads(form.cleaned_data["evidence"]),
                    now=clock.now(),
                    signed_in_customer_id=customer_id,
                )
            except AmendsError as error:
                show_error(form, error, aliases=FILE_ALIASES)
                status = status_for(error)
            else:
                request.session[RAISED] = {
                    "reference": raised.case.reference,
                    "link_sent": raised.link_sent,
                    "has_email": bool(form.cleaned_data["email"]),
                    "contact_by": form.cleaned_data["contact_by"],
                }
                return redirect("portal:raised")
    context = {"form": form, "files_lost": status != 200, "nav": "new"}
    return _page(request, "portal/raise.html", context, status)


@never_cache
def raised(request: HttpRequest) -> HttpResponse:
    done = request.session.get(RAISED)
    if not done:
        return redirect("portal:new")
    return _page(request, "portal/raised.html", {"done": done})


@never_cache
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; the POST spends the link (mail scanners only ever GET)."""
    now = clock.now()
    try:
        if request.method == "POST":
            customer = links.use_link(token=token, now=now)
            session.start(request, customer.pk, now)
            return redirect("portal:cases")
        links.link_for(token, now)
    except AmendsError as error:
        reason = error.fields.get("link", ["invalid"])[0]
        context = {"message": error.message, "reason": reason}
        return _page(
            request, "portal/link_refused.html", context, 404 if reason == "invalid" else 410
        )
    return _page(request, "portal/sign_in.html", {})


@never_cache
@require_POST
def password_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with the password a customer chose; the link form stays on the same page."""
    form = PasswordSignInForm(request.POST, prefix="password")
    status = 422
    if form.is_valid():
        now = clock.now()
        try:
            customer = passwords.sign_in_with_password(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                client=client_ip(request),
                now=now,
            )
        except AmendsError as error:
            form.add_error(None, error.message)
            limited = "too many attempts" in error.fields.get("password", [])
            status = 429 if limited else 401
        else:
            session.start(request, customer.pk, now)
            return redirect("portal:cases")
    context = {"form": LinkForm(), "password_form": form}
    return _page(request, "portal/start.html", context, status)


@never_cache
@require_POST
@signed_in
def choose_password(request: HttpRequest, customer_id: int) -> HttpResponse:
    form = ChoosePasswordForm(request.POST, prefix="choose")
    if form.is_valid():
        customer = selectors.find_customer(customer_id)
        if customer is None:
            raise NotFoundError("We could not find your details.")
        try:
            passwords.set_password(
                customer=customer, password=form.cleaned_data["password"], now=clock.now()
            )
        except AmendsError as error:
            show_error(form, error)
        else:
            messages.success(request, "Your password is set. Next time, sign in with it.")
            return redirect("portal:cases")
    return _cases_page(request, customer_id, choose_form=form, status=422)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session.end(request)
    messages.success(request, "You have signed out.")
    return redirect("portal:start")


@never_cache
@signed_in
def cases(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _cases_page(request, customer_id)


def _cases_page(
    request: HttpRequest,
    customer_id: int,
    *,
    choose_form: ChoosePasswordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = [
        {
            "case": case,
            "status": presenters.status_now(case.status, case.kind),
        }
        for case in selectors.list_customer_cases(customer_id)
    ]
    context = {
        "rows": rows,
        "nav": "cases",
        "choose_form": choose_form or ChoosePasswordForm(prefix="choose"),
        "has_password": passwords.has_password(customer_id),
    }
    return _page(request, "portal/cases.html", context, status)


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    evidence_form: EvidenceForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    finished = case.status in ("closed", "withdrawn")
    context = {
        "case": case,
        "status_now": presenters.status_now(case.status, case.kind),
        "what_next": presenters.what_next(case.status),
        "noun": presenters.noun(case.kind),
        "history": presenters.history(selectors.case_history(case), case.kind),
        "reply_form": reply_form or ReplyForm(prefix="reply"),
        "evidence_form": evidence_form or EvidenceForm(prefix="evidence"),
        "withdraw_form": withdraw_form
        or WithdrawForm(initial={"version": case.version}, prefix="withdraw"),
        "can_withdraw": selectors.can_withdraw(case, now),
        "can_write": not finished,
        "withdraw_open": withdraw_form is not None,
    }
    return _page(request, "portal/case.html", context, status)


@never_cache
@signed_in
def case_page(request: HttpRequest, customer_id: int, reference: str) -> HttpResponse:
    return _case_page(request, access_portal_case(customer_id, reference))


@signed_in
def document(request: HttpRequest, customer_id: int, reference: str, document_id: int) -> Any:
    """A copy of a document the customer sent us: their own case, their own document only."""
    case = access_portal_case(customer_id, reference)
    found = selectors.find_own_document(case, document_id)
    if found is None:
        raise NotFoundError("We could not find that document.")
    return FileResponse(
        io.BytesIO(case_selectors.read_attachment(found)),
        content_type=found.content_type,
        as_attachment=True,
        filename=found.filename,
    )


def _back(case: Case, anchor: str = "history") -> HttpResponse:
    return redirect(reverse("portal:case", args=[case.reference]) + f"#{anchor}")


@require_POST
@signed_in
def reply(request: HttpRequest, customer_id: int, reference: str) -> HttpResponse:
    case = access_portal_case(customer_id, reference)
    form = ReplyForm(request.POST, request.FILES, prefix="reply")
    if form.is_valid():
        try:
            services.reply(
                case=case,
                body=form.cleaned_data["body"],
                uploads=uploads(form.cleaned_data["evidence"]),
                now=clock.now(),
            )
        except AmendsError as error:
            show_error(form, error, aliases=FILE_ALIASES)
            return _case_page(request, case, reply_form=form, status=status_for(error))
        messages.success(request, "Thank you. We have your message.")
        return _back(case)
    return _case_page(request, case, reply_form=form, status=422)


@require_POST
@signed_in
def add_evidence(request: HttpRequest, customer_id: int, reference: str) -> HttpResponse:
    case = access_portal_case(customer_id, reference)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        try:
            count = services.add_evidence(
                case=case, uploads=uploads(form.cleaned_data["evidence"]), now=clock.now()
            )
        except AttachmentRejectedError as error:
            show_error(form, error, aliases=FILE_ALIASES)
            return _case_page(request, case, evidence_form=form, status=status_for(error))
        messages.success(request, f"Thank you. We have your {count} document(s).")
        return _back(case)
    return _case_page(request, case, evidence_form=form, status=422)


@require_POST
@signed_in
def withdraw(request: HttpRequest, customer_id: int, reference: str) -> HttpResponse:
    case = access_portal_case(customer_id, reference)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.withdraw(
                case=case,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                now=clock.now(),
            )
        except AmendsError as error:
            if error.code.value in ("stale_version", "transition_not_allowed"):
                case.refresh_from_db()
                form = WithdrawForm(
                    {
                        "withdraw-version": case.version,
                        "withdraw-reason": form.cleaned_data["reason"],
                    },
                    prefix="withdraw",
                )
                form.is_valid()
                form.add_error(None, _why_not(error.code.value))
            else:
                show_error(form, error)
            return _case_page(request, case, withdraw_form=form, status=status_for(error))
        messages.success(request, f"Your {presenters.noun(case.kind)} is withdrawn.")
        return _back(case)
    return _case_page(request, case, withdraw_form=form, status=422)


def _why_not(code: str) -> str:
    if code == "stale_version":
        return (
            "Your complaint changed while you were reading it. "
            "Read the latest update below, then try again if you still want to withdraw."
        )
    return "You cannot withdraw it now, because we have already finished dealing with it."
