"""Flagged email for a person to read: mail in never loses a message it could not file, and
this page is where leads and managers deal with each one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from amends.accounts.auth import web_user
from amends.accounts.domain import can_review_mail
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError, PermissionDeniedError
from amends.core.web import show_error, status_for
from amends.inbox import selectors, services

if TYPE_CHECKING:
    from amends.accounts.models import User


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="What did you do about it?",
        help_text="For example: logged case C-2026-000123 by hand; spam; asked the sender to "
        "send it again.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _reviewer(request: HttpRequest) -> User:
    user = web_user(request)
    if not can_review_mail(user.role_enum):
        raise PermissionDeniedError("Only team leads and complaints managers review flagged email.")
    return user


@login_required
@require_http_methods(["GET", "POST"])
def flagged(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    forms_by_id: dict[int, ReviewForm] = {}
    status = 200
    if request.method == "POST":
        inbound = selectors.find_flagged(int(request.POST.get("email", "0") or 0))
        if inbound is None:
            raise NotFoundError("There is no such flagged email.")
        form = ReviewForm(request.POST, prefix=f"review-{inbound.pk}")
        if form.is_valid():
            try:
                services.review_flagged(
                    inbound=inbound, actor=user, note=form.cleaned_data["note"], now=clock.now()
                )
            except AmendsError as error:
                show_error(form, error)
                status = status_for(error)
            else:
                messages.success(
                    request, f"Marked as dealt with: {inbound.subject or '(no subject)'}."
                )
                return redirect("inbox:flagged")
        else:
            status = 422
        forms_by_id[inbound.pk] = form
    items = [
        (email, forms_by_id.get(email.pk) or ReviewForm(prefix=f"review-{email.pk}"))
        for email in selectors.list_for_review()[:100]
    ]
    return render(request, "inbox/flagged.html", {"items": items, "nav": "flagged"}, status=status)


@login_required
@require_GET
def original(request: HttpRequest, inbound_id: int) -> FileResponse:
    """The email exactly as it arrived, as a download (never shown in the browser)."""
    _reviewer(request)
    found = selectors.open_original(inbound_id)
    if found is None:
        raise NotFoundError("That email was not kept.")
    return FileResponse(found, as_attachment=True, filename=f"inbound-{inbound_id}.eml")
