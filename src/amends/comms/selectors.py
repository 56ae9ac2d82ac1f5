"""Reads for templates, letters and emails out."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from amends.cases.models import Case
from amends.comms.domain import DELIVERY_ATTEMPTS, EmailStatus, LetterStatus, Purpose
from amends.comms.models import Letter, OutboundEmail, ReplyTemplate
from amends.core.models import Event
from amends.policies.packs import get_pack


def list_templates(*, active_only: bool = True) -> QuerySet[ReplyTemplate]:
    templates = ReplyTemplate.objects.order_by("purpose", "code")
    return templates.filter(active=True) if active_only else templates


def find_template(purpose: Purpose) -> ReplyTemplate | None:
    """The active template for ``purpose``; a general one (no required communication) first."""
    return (
        ReplyTemplate.objects.filter(purpose=purpose.value, active=True)
        .order_by("communication", "code")
        .first()
    )


def required_acknowledgements(case_kind: str) -> list[str]:
    """The acknowledgements (``pack/communication``) the organisation's policy packs require
    for a case of this kind, in the order the packs are configured."""
    required = []
    for pack_id in settings.AMENDS_POLICY_PACKS:
        pack = get_pack(pack_id)
        if case_kind in pack.kinds:
            required += [
                f"{pack.id}/{c.id}" for c in pack.communications if "acknowledgement" in c.id
            ]
    return required


def find_acknowledgement_template(case_kind: str) -> ReplyTemplate | None:
    """The active template for the acknowledgement a policy pack requires for this kind of case,
    else the general acknowledgement template."""
    for communication in required_acknowledgements(case_kind):
        template = (
            ReplyTemplate.objects.filter(
                purpose=Purpose.ACKNOWLEDGEMENT.value, communication=communication, active=True
            )
            .order_by("code")
            .first()
        )
        if template is not None:
            return template
    return find_template(Purpose.ACKNOWLEDGEMENT)


def find_template_by_code(code: str) -> ReplyTemplate | None:
    return ReplyTemplate.objects.filter(code=code, active=True).first()


def acknowledgement_sent(case: Case) -> bool:
    purpose = Purpose.ACKNOWLEDGEMENT.value
    return (
        OutboundEmail.objects.filter(case=case, purpose=purpose).exists()
        or Letter.objects.filter(case=case, purpose=purpose).exists()
    )


def list_emails(case: Case) -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(case=case).select_related("interaction").order_by("id")


def list_letters(case: Case) -> QuerySet[Letter]:
    return Letter.objects.filter(case=case).select_related("interaction", "case").order_by("id")


def find_email(case: Case, email_id: int) -> OutboundEmail | None:
    return OutboundEmail.objects.filter(case=case, pk=email_id).select_related("case").first()


def find_letter(case: Case, letter_id: int) -> Letter | None:
    return (
        Letter.objects.filter(case=case, pk=letter_id)
        .select_related("interaction", "case", "case__customer")
        .first()
    )


def case_id_of_event(event_id: int) -> int | None:
    """The id of the case whose timeline holds this event (None for other streams)."""
    stream = Event.objects.filter(pk=event_id).values_list("stream", flat=True).first()
    if not stream or not stream.startswith("case:"):
        return None
    reference = stream.removeprefix("case:")
    return Case.objects.filter(reference=reference).values_list("pk", flat=True).first()


def event_data(event_id: int) -> dict[str, object]:
    data = Event.objects.filter(pk=event_id).values_list("data", flat=True).first()
    return dict(data or {})


def _email_words(email: OutboundEmail) -> str:
    if email.status == EmailStatus.SENT.value:
        return "Email delivered to the mail server"
    if email.status == EmailStatus.FAILED.value:
        if email.attempts >= DELIVERY_ATTEMPTS:
            return f"Email not sent: gave up after {email.attempts} attempts"
        return f"Email not sent yet: attempt {email.attempts} failed, trying again"
    return "Email sending" if email.status == EmailStatus.SENDING.value else "Email queued"


def deliveries_by_event(case: Case) -> dict[int, tuple[str, str]]:
    """For each "message sent" event on the case's timeline (by seq) that went out as an email
    or a letter: its status, and the status in words."""
    sent = Event.objects.filter(stream=case.stream, type="case.message_sent").values_list(
        "seq", "data"
    )
    emails = {e.interaction_id: e for e in OutboundEmail.objects.filter(case=case)}
    letters = {item.interaction_id: item for item in Letter.objects.filter(case=case)}
    found: dict[int, tuple[str, str]] = {}
    for seq, data in sent:
        interaction = (data or {}).get("interaction")
        if interaction in emails:
            email = emails[interaction]
            found[seq] = (email.status, _email_words(email))
        elif interaction in letters:
            printed = letters[interaction].status == LetterStatus.PRINTED.value
            found[seq] = (
                letters[interaction].status,
                "Letter printed" if printed else "Letter to print",
            )
    return found
