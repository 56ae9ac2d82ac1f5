"""/api/v1/coach: the reply coach."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router
from ninja.responses import Status as Reply

from amends.accounts.auth import request_user
from amends.cases.access import access_case
from amends.comms import selectors, services
from amends.comms.coach import check_reply
from amends.comms.schemas import (
    CoachIn,
    CoachOut,
    CorrespondenceOut,
    EmailOut,
    LetterOut,
    ReplyIn,
    TemplateOut,
)
from amends.core import clock
from amends.core.errors import NotFoundError

router = Router(tags=["comms"])


@router.post("/coach/reply", response=CoachOut)
def coach_reply(request: HttpRequest, payload: CoachIn) -> dict[str, Any]:
    """Check a draft reply against the customer's last message: nine checks (paraphrase,
    empathy, apology, solution, next_steps_dated, thanks, plain_language, no_blame, tone), each
    with the sentence that shows it and one line of advice, and a 0-100 score. Nothing is
    stored."""
    request_user(request)
    return check_reply(payload.text, payload.customer_message).as_dict()


# --- replies, letters and templates -------------------------------------------------------------


def email_out(email: Any) -> dict[str, Any]:
    return {
        "id": email.pk,
        "interaction": email.interaction_id,
        "to": email.to,
        "subject": email.subject,
        "message_id": email.message_id,
        "in_reply_to": email.in_reply_to,
        "references": email.references.split(),
        "status": email.status,
        "attempts": email.attempts,
        "last_error": email.last_error,
        "created_at": email.created_at,
        "sent_at": email.sent_at,
    }


def letter_out(letter: Any) -> dict[str, Any]:
    url = reverse("comms:letter", args=[letter.case.reference, letter.pk])
    return {
        "id": letter.pk,
        "interaction": letter.interaction_id,
        "subject": letter.interaction.subject,
        "to_name": letter.to_name,
        "format": letter.format,
        "status": letter.status,
        "created_at": letter.created_at,
        "printed_at": letter.printed_at,
        "url": url,
        "pdf_url": f"{url}?format=pdf",
    }


def _reply(request: HttpRequest, reference: str, payload: ReplyIn) -> dict[str, Any]:
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    now = clock.now()
    template = None
    body, items, communication = payload.body, list(payload.content_items), payload.communication
    if payload.template:
        template = selectors.find_template_by_code(payload.template)
        if template is None:
            raise NotFoundError(
                f"There is no active template {payload.template!r}.",
                fields={"template": "unknown"},
            )
        if not body.strip():
            rendered = services.render_template(template, case, handler=user, now=now)
            body, items = rendered.body, [*items, *rendered.content_items]
        communication = communication or template.communication or None
    return {
        "case": case,
        "body": body,
        "subject": payload.subject or (template.subject if template else ""),
        "actor": user,
        "now": now,
        "template": template,
        "communication": communication,
        "content_items": items,
    }


@router.post("/cases/{reference}/emails", response={201: EmailOut})
def send_email(request: HttpRequest, reference: str, payload: ReplyIn) -> Reply[Any]:
    """Email the customer: recorded as the outbound message and sent after commit by a job
    (retried on failure); its status shows in ``GET /cases/{reference}/correspondence``."""
    email = services.send_email_reply(**_reply(request, reference, payload))
    return Reply(201, email_out(email))


@router.post("/cases/{reference}/letters", response={201: LetterOut})
def prepare_letter(request: HttpRequest, reference: str, payload: ReplyIn) -> Reply[Any]:
    """Prepare a letter to print, in the customer's preferred format (page and PDF)."""
    letter = services.prepare_letter(**_reply(request, reference, payload))
    return Reply(201, letter_out(letter))


@router.get("/cases/{reference}/correspondence", response=CorrespondenceOut)
def correspondence(request: HttpRequest, reference: str) -> dict[str, Any]:
    case = access_case(request_user(request), reference)
    return {
        "emails": [email_out(e) for e in selectors.list_emails(case)],
        "letters": [letter_out(item) for item in selectors.list_letters(case)],
    }


@router.get("/templates", response=list[TemplateOut])
def list_templates(request: HttpRequest) -> list[Any]:
    request_user(request)
    fields = ("code", "name", "purpose", "structure", "communication", "subject")
    return list(selectors.list_templates().values(*fields))
