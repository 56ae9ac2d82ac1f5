"""Writing to the customer from a case: choose a template, edit its sections, then send it by
email or prepare a letter; and the printable letter (page and PDF)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.auth import web_user
from amends.cases.access import access_case
from amends.comms import letters, selectors, services
from amends.comms.domain import Structure, assemble
from amends.comms.forms import ComposerForm
from amends.comms.models import ReplyTemplate
from amends.core import clock
from amends.core.errors import AmendsError, NotFoundError, PolicyViolationError
from amends.core.web import show_error, status_for

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


def _items_of(template: ReplyTemplate) -> list[str]:
    communication = services.find_communication(template.communication)
    required = list(communication.mandatory_items) if communication else []
    return required + [k for k in (template.items or {}) if k not in required]


def _initial(template: ReplyTemplate, case: Case, user: User) -> dict[str, Any]:
    filled = services.render_template(template, case, handler=user, now=clock.now())
    texts = dict(filled.sections)
    initial: dict[str, Any] = {"subject": template.subject}
    for name in services.templates.template_sections(template):
        initial[name] = texts.get(name, "")
    for item in _items_of(template):
        initial[f"item_{item}"] = texts.get(item, "")
    return initial


def _page(
    request: HttpRequest,
    case: Case,
    *,
    template: ReplyTemplate | None,
    form: ComposerForm | None,
    missing: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "comms/compose.html",
        {
            "nav": "queues",
            "case": case,
            "templates": selectors.list_templates(),
            "template": template,
            "form": form,
            "recipient": services.recipient(case, clock.now()),
            "missing": [m.replace("_", " ") for m in missing or []],
        },
        status=status,
    )


def _template(code: str) -> ReplyTemplate:
    template = selectors.find_template_by_code(code)
    if template is None:
        raise NotFoundError(f"There is no active template {code!r}.", fields={"template": code})
    return template


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest, reference: str) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    if request.method == "GET":
        code = request.GET.get("template", "")
        if not code:
            return _page(request, case, template=None, form=None)
        template = _template(code)
        form = ComposerForm(
            template=template, items=_items_of(template), initial=_initial(template, case, user)
        )
        return _page(request, case, template=template, form=form)
    template = _template(request.POST.get("template", ""))
    form = ComposerForm(request.POST, template=template, items=_items_of(template))
    if not form.is_valid():
        return _page(request, case, template=template, form=form, status=422)
    written = assemble(
        structure=Structure(template.structure), sections=form.sections(), items=form.items()
    )
    send = services.send_email_reply if form.cleaned_data["action"] == "email" else None
    try:
        with transaction.atomic():
            kwargs: dict[str, Any] = {
                "case": case,
                "body": written.body,
                "subject": form.cleaned_data.get("subject") or "",
                "actor": user,
                "now": clock.now(),
                "template": template,
                "communication": template.communication or None,
                "content_items": written.content_items,
            }
            if send is not None:
                email = send(**kwargs)
                done = f"Email to {email.to} queued; its delivery shows on the case."
            else:
                services.prepare_letter(**kwargs)
                done = "Letter ready to print: open it from the case's letters."
    except AmendsError as error:
        missing = error.missing if isinstance(error, PolicyViolationError) else []
        for item in missing:
            if f"item_{item}" in form.fields:
                form.add_error(f"item_{item}", "Required content: write this paragraph.")
        show_error(form, error, aliases={"to": "subject"})
        return _page(
            request, case, template=template, form=form, missing=missing, status=status_for(error)
        )
    messages.success(request, done)
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_GET
def letter(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    case = access_case(web_user(request), reference)
    found = selectors.find_letter(case, letter_id)
    if found is None:
        raise NotFoundError("There is no such letter on this case.")
    data = letters.build(found)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(letters.pdf_bytes(data), content_type="application/pdf")
        name = f"{case.reference}-letter-{found.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "comms/letter.html", data)


@login_required
@require_POST
def letter_printed(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    found = selectors.find_letter(case, letter_id)
    if found is None:
        raise NotFoundError("There is no such letter on this case.")
    services.mark_letter_printed(letter=found, actor=user, now=clock.now())
    messages.success(request, "Letter marked as printed and sent.")
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def email_again(request: HttpRequest, reference: str, email_id: int) -> HttpResponse:
    user = web_user(request)
    case = access_case(user, reference, for_write=True)
    found = selectors.find_email(case, email_id)
    if found is None:
        raise NotFoundError("There is no such email on this case.")
    services.send_email_again(email=found, actor=user, now=clock.now())
    messages.success(request, f"The email to {found.to} is queued to be sent again.")
    return redirect("cases:detail", reference=case.reference)
