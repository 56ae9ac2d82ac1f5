"""Email out: a reply is queued as its outbound message with a Message-ID and threading
headers, then sent after commit by a job that records the outcome and is safe to retry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q

from amends.cases import selectors as case_selectors
from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction, InteractionKind
from amends.cases.services._common import record
from amends.comms.domain import (
    DELIVERY_ATTEMPTS,
    EmailStatus,
    check_no_prompts,
    reply_subject,
    thread_headers,
)
from amends.comms.models import OutboundEmail
from amends.core import clock
from amends.core.errors import NotFoundError, ValidationError
from amends.customers import selectors as customer_selectors
from amends.customers.domain import authority_problem
from amends.inbox.domain import MESSAGE_ID_MARK

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case
    from amends.comms.models import ReplyTemplate

# A message left "sending" this long (a worker that died mid-send) may be claimed again.
STUCK_AFTER = timedelta(minutes=15)


def new_message_id() -> str:
    return make_msgid(MESSAGE_ID_MARK, domain=settings.AMENDS_MAIL_DOMAIN).strip("<>")


def _thread(case: Case) -> tuple[str, str, tuple[str, ...]]:
    """The subject of the customer's latest email, and the In-Reply-To and References."""
    messages = list(
        case_selectors.list_interactions(case)
        .filter(kind=InteractionKind.MESSAGE.value)
        .values_list("direction", "message_id", "subject")
    )
    inbound_subject = next(
        (s for d, m, s in reversed(messages) if d == Direction.INBOUND.value and s), ""
    )
    threading = thread_headers((d, m) for d, m, _ in messages)
    return inbound_subject, threading.in_reply_to, threading.references


def recipient(case: Case, now: datetime) -> str:
    """Who we write to: the representative who acts for the customer on this case, while their
    authority lasts and covers acting (not only being told), and has an address; otherwise the
    customer."""
    rep = case.representative
    if rep is not None and rep.email.strip():
        facts = customer_selectors.authority_of(rep)
        if authority_problem(facts, clock.local_date(now), to_raise_complaint=True) is None:
            return str(rep.email).strip()
    return str(case.customer.email).strip()


@transaction.atomic
def send_email_reply(
    *,
    case: Case,
    body: str,
    subject: str,
    actor: User | None,
    now: datetime,
    template: ReplyTemplate | None = None,
    communication: str | None = None,
    content_items: Sequence[str] = (),
    purpose: str = "",
    auto_submitted: bool = False,
) -> OutboundEmail:
    """Record ``body`` as an outbound email on the case and queue it; a job sends it after
    commit. The subject carries the case reference, so replies thread by subject too."""
    check_no_prompts(body)
    to = recipient(case, now)
    if not to:
        raise ValidationError(
            f"{case.customer.name} has no email address; prepare a letter instead.",
            fields={"to": "the customer has no email address"},
        )
    inbound_subject, in_reply_to, references = _thread(case)
    subject = reply_subject(
        given=subject,
        inbound_subject=inbound_subject,
        summary=case.summary,
        reference=case.reference,
    )[:300]
    message_id = new_message_id()
    interaction = case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        body=body,
        subject=subject,
        counterpart=to,
        communication=communication,
        content_items=content_items,
        message_id=message_id,
        actor=actor,
        now=now,
    )
    email = OutboundEmail.objects.create(
        interaction=interaction,
        case=case,
        purpose=purpose or (template.purpose if template else ""),
        to=to,
        subject=subject,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=" ".join(references),
        auto_submitted=auto_submitted,
        status=EmailStatus.READY.value,
        created_at=now,
        updated_at=now,
    )
    record(
        case,
        "case.email_queued",
        actor=actor,
        now=now,
        data={
            "email": email.pk,
            "interaction": interaction.pk,
            "to": to,
            "subject": subject,
            "message_id": message_id,
            "template": template.code if template else None,
        },
    )
    return email


def build_message(email: OutboundEmail) -> EmailMessage:
    headers = {"Message-ID": f"<{email.message_id}>"}
    if email.in_reply_to:
        headers["In-Reply-To"] = f"<{email.in_reply_to}>"
    if email.references:
        headers["References"] = " ".join(f"<{m}>" for m in email.references.split())
    if email.auto_submitted:
        headers["Auto-Submitted"] = "auto-generated"
    return EmailMessage(
        subject=email.subject,
        body=email.interaction.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=headers,
    )


def _claim(outbound_id: int, now: datetime) -> bool:
    claimable = Q(status__in=[EmailStatus.READY.value, EmailStatus.FAILED.value]) | Q(
        status=EmailStatus.SENDING.value, updated_at__lt=now - STUCK_AFTER
    )
    with transaction.atomic():
        return bool(
            OutboundEmail.objects.filter(claimable, pk=outbound_id).update(
                status=EmailStatus.SENDING.value, attempts=F("attempts") + 1, updated_at=now
            )
        )


def deliver_email(*, outbound_id: int, now: datetime) -> OutboundEmail:
    """Send one queued email through the configured backend, once. A sent email is not sent
    again; a failure is recorded (status, attempt, error) and may be retried."""
    claimed = _claim(outbound_id, now)
    email = (
        OutboundEmail.objects.select_related("case", "interaction").filter(pk=outbound_id).first()
    )
    if email is None:
        raise NotFoundError(f"There is no outbound email {outbound_id}.")
    if not claimed:
        return email
    try:
        build_message(email).send(fail_silently=False)
    except Exception as error:  # the transport's failure, whatever it is, is the outcome
        email.status, email.last_error = (
            EmailStatus.FAILED.value,
            f"{type(error).__name__}: {error}",
        )
        _finish(email, "case.email_failed", now, error=email.last_error[:1000])
        return email
    email.status, email.sent_at, email.last_error = EmailStatus.SENT.value, now, ""
    _finish(email, "case.email_sent", now)
    return email


@transaction.atomic
def send_email_again(*, email: OutboundEmail, actor: User | None, now: datetime) -> OutboundEmail:
    """Queue an email that gave up (every attempt failed) for a fresh round of attempts, once the
    cause is fixed (a mail server back up, an address corrected on the customer)."""
    gave_up = email.status == EmailStatus.FAILED.value and email.attempts >= DELIVERY_ATTEMPTS
    if not gave_up:
        raise ValidationError(
            "Only an email that has stopped trying can be sent again; this one is "
            + ("delivered." if email.status == EmailStatus.SENT.value else "still being tried."),
            fields={"email": f"status {email.status}"},
        )
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.READY.value, attempts=0, last_error="", updated_at=now
    )
    email.status, email.attempts, email.last_error = EmailStatus.READY.value, 0, ""
    record(
        email.case,
        "case.email_queued",
        actor=actor,
        now=now,
        data={
            "email": email.pk,
            "interaction": email.interaction_id,
            "to": email.to,
            "again": True,
        },
    )
    return email


def _finish(email: OutboundEmail, event_type: str, now: datetime, **extra: object) -> None:
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=email.status, last_error=email.last_error, sent_at=email.sent_at, updated_at=now
        )
        record(
            email.case,
            event_type,
            actor=None,
            now=now,
            data={
                "email": email.pk,
                "interaction": email.interaction_id,
                "to": email.to,
                "status": email.status,
                "attempt": email.attempts,
                "message_id": email.message_id,
                **extra,
            },
        )
