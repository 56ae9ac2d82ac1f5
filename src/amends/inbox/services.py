"""Email in: each message received once, kept as it came, and filed on its case.

Import as ``from amends.inbox import services as inbox_services``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from amends.accounts import selectors as account_selectors
from amends.cases import services as case_services
from amends.cases.attachments import check_attachment, safe_filename
from amends.cases.domain import FINISHED, Channel, Direction, Status
from amends.cases.models import Case, Interaction
from amends.core import clock
from amends.core.errors import AttachmentRejectedError, ConflictError, ValidationError
from amends.core.timeline import record_event
from amends.customers import selectors as customer_selectors
from amends.customers.domain import ContactChannel, ContactDetails, CustomerKind
from amends.inbox import domain, selectors
from amends.inbox.domain import (
    MESSAGE_ID_MARK,
    InboundStatus,
    MailAttachment,
    ParsedEmail,
    Source,
)
from amends.inbox.models import InboundEmail
from amends.sla import services as sla_services

if TYPE_CHECKING:
    from amends.accounts.models import User

log = logging.getLogger(__name__)

# A Date header older than this is not believed for the time of receipt.
DATE_TRUSTED_FOR = timedelta(days=7)
NO_TEXT = "(The email had no text; see its attachments.)"
_CLOSED = FINISHED | {Status.RESOLVED, Status.FOLLOW_UP}


def limits() -> domain.Limits:
    return domain.Limits(
        message_bytes=settings.AMENDS_MAIL_MAX_BYTES,
        attachment_bytes=settings.AMENDS_ATTACHMENT_MAX_BYTES,
        our_domain=settings.AMENDS_MAIL_DOMAIN,
        our_addresses=(settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL),
    )


def receive_email(
    *,
    raw: bytes,
    source: Source,
    now: datetime,
    envelope_from: str = "",
    recipients: Sequence[str] = (),
) -> InboundEmail:
    """Take in one raw email, exactly once per Message-ID, and say what became of it.

    A message delivered again returns the first record and changes nothing. Auto-replies,
    bounces and our own messages are kept and ignored; malformed ones are kept raw and flagged;
    one too large (or with an attachment over the limit) is refused with nothing kept but the
    record. Anything else is added to the case it answers, or starts a new case."""
    parsed = domain.parse(raw)
    existing = selectors.find_inbound(parsed.message_id)
    if existing is not None:
        return existing
    status, reason = domain.verdict(parsed, len(raw), limits())
    digest = hashlib.sha256(raw).hexdigest()
    fields: dict[str, Any] = {
        "message_id": parsed.message_id,
        "source": source.value,
        "received_at": now,
        "envelope_from": envelope_from[:254],
        "envelope_to": "\n".join(recipients),
        "from_address": parsed.from_address[:254],
        "from_name": parsed.from_name[:200],
        "subject": parsed.subject,
        "size": len(raw),
        "sha256": digest,
        "no_auto_reply": domain.asks_no_auto_reply(parsed),
    }
    storage_name = "" if status is InboundStatus.REJECTED else f"inbox/{digest[:2]}/{digest}.eml"
    written = False
    if storage_name and not default_storage.exists(storage_name):
        default_storage.save(storage_name, ContentFile(raw))
        written = True
    try:
        with transaction.atomic():
            fields["storage_name"] = storage_name
            if status is not None:
                return _save(fields, status, reason, now, answerable=_answerable(parsed))
            return _file(parsed, fields, now)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery won.
        _discard(storage_name, written)
        existing = selectors.find_inbound(parsed.message_id)
        if existing is None:
            raise
        return existing
    except BaseException:
        _discard(storage_name, written)
        raise


def _answerable(parsed: ParsedEmail) -> bool:
    lim = limits()
    return not domain.automatic_reason(
        parsed, our_domain=lim.our_domain, our_addresses=lim.our_addresses
    )


def _discard(storage_name: str, written: bool) -> None:
    if written and not InboundEmail.objects.filter(storage_name=storage_name).exists():
        default_storage.delete(storage_name)


def _save(
    fields: dict[str, Any],
    status: InboundStatus,
    reason: str,
    now: datetime,
    *,
    case: Case | None = None,
    interaction: Interaction | None = None,
    answerable: bool = False,
) -> InboundEmail:
    inbound = InboundEmail.objects.create(
        **fields, status=status.value, reason=reason, case=case, interaction=interaction
    )
    record_event(
        stream=f"inbox:{inbound.pk}",
        type=f"inbox.email_{status.value}",
        actor=None,
        now=now,
        new_stream=True,
        data={
            "inbound_email": inbound.pk,
            "message_id": inbound.message_id,
            "source": inbound.source,
            "from": inbound.from_address,
            "subject": inbound.subject,
            "size": inbound.size,
            "sha256": inbound.sha256,
            "reason": reason,
            "case": case.reference if case else None,
            "answerable": answerable,
        },
    )
    return inbound


def _file(parsed: ParsedEmail, fields: dict[str, Any], now: datetime) -> InboundEmail:
    """Add the message to the case it answers, or start a case with it."""
    case, note = _case_answered(parsed, now)
    body = parsed.reply_text or parsed.text or parsed.subject or NO_TEXT
    sent_at = domain.received_time(parsed, now, trust=DATE_TRUSTED_FOR)
    if case is not None:
        message = case_services.record_message(
            case=case,
            direction=Direction.INBOUND,
            channel=Channel.EMAIL,
            body=body,
            actor=None,
            now=now,
            subject=parsed.subject,
            counterpart=parsed.from_address,
            occurred_at=sent_at,
            message_id=parsed.message_id,
        )
        status = InboundStatus.THREADED
        if Status(case.status) in _CLOSED:
            _tell_owner(case, parsed, now)
    else:
        found = customer_selectors.find_customer_by_email(parsed.from_address)
        customer = found or case_services.NewCustomer(
            kind=CustomerKind.PERSON,
            details=ContactDetails(
                name=parsed.from_name or parsed.from_address.partition("@")[0],
                email=parsed.from_address,
                preferred_channel=ContactChannel.EMAIL,
            ),
        )
        case, message, _ = case_services.log_contact(
            contact=case_services.Contact(
                channel=Channel.EMAIL,
                description=body,
                subject=parsed.subject,
                counterpart=parsed.from_address,
                message_id=parsed.message_id,
                received_at=sent_at,
            ),
            customer=customer,
            now=now,
        )
        status = InboundStatus.CREATED
        if note:
            case_services.add_note(case=case, body=note, actor=None, now=now)
    _attach(case, message, parsed.attachments, now)
    return _save(fields, status, "", now, case=case, interaction=message, answerable=True)


def _case_answered(parsed: ParsedEmail, now: datetime) -> tuple[Case | None, str]:
    """The case this message answers (and ``""``), or ``None`` and a note for the new case."""
    case = selectors.find_case_answered(domain.thread_ids(parsed))
    if case is not None:
        return case, ""
    reference = domain.case_reference(parsed.subject)
    if not reference:
        return None, ""
    case = selectors.find_case_by_reference(reference)
    if case is None:
        return None, f"The email's subject names case {reference}, which does not exist."
    if selectors.speaks_for_case(case, parsed.from_address, clock.local_date(now)):
        return case, ""
    return None, (
        f"The email's subject names case {reference}, but {parsed.from_address} is not that "
        "case's customer or one of their representatives, so it was not added to that case. "
        "Check who the sender is before linking the cases."
    )


def _attach(
    case: Case, message: Interaction, items: Sequence[MailAttachment], now: datetime
) -> None:
    """Keep each attachment with the case; a file of a type we do not accept stays in the
    original email only, and a note says so."""
    skipped: list[str] = []
    for item in items:
        name = safe_filename(item.filename)
        try:
            check_attachment(name, item.data, settings.AMENDS_ATTACHMENT_MAX_BYTES)
        except AttachmentRejectedError as error:
            skipped.append(error.message)
            continue
        case_services.add_attachment(
            case=case, filename=name, data=item.data, actor=None, now=now, interaction=message
        )
    if skipped:
        case_services.add_note(
            case=case,
            body="Files in the customer's email that were not kept with the case (the original "
            "email still has them): " + " ".join(skipped),
            actor=None,
            now=now,
        )


def _tell_owner(case: Case, parsed: ParsedEmail, now: datetime) -> None:
    people = (
        [case.assignee_id] if case.assignee_id else account_selectors.team_lead_ids(case.team_id)
    )
    if not people:
        return
    sla_services.notify(
        user_ids=list(people),
        case=case,
        kind="email_on_closed_case",
        message=(
            f"{parsed.from_address} wrote again about {case.reference}, which is "
            f"{case.status.replace('_', ' ')}: {parsed.subject or '(no subject)'}. "
            "Read it and decide whether to reopen the case."
        ),
        now=now,
    )


def send_rejection_notice(*, inbound_id: int, now: datetime) -> bool:
    """Tell the sender of a refused email (from a polled mailbox) that it did not reach us.

    Marked as an automatic reply so that it is never answered in turn. Sent once; ``False``
    when there is nothing to send."""
    inbound = InboundEmail.objects.get(pk=inbound_id)
    if inbound.status != InboundStatus.REJECTED.value or inbound.notice_sent_at is not None:
        return False
    if not inbound.from_address:
        return False
    notice = EmailMessage(
        subject=f"Your email was not received: {inbound.subject or '(no subject)'}"[:200],
        body=(
            "Your email could not be accepted, so nothing in it has reached the complaints "
            f"team.\n\n{inbound.reason}\n\nPlease send it again with smaller or fewer "
            "attachments, or send the files in separate emails."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[inbound.from_address],
        headers={
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
            "In-Reply-To": f"<{inbound.message_id}>",
            "References": f"<{inbound.message_id}>",
            "Message-ID": make_msgid(
                f"rejected.{MESSAGE_ID_MARK}", domain=settings.AMENDS_MAIL_DOMAIN
            ),
        },
    )
    notice.send()
    with transaction.atomic():
        updated = InboundEmail.objects.filter(pk=inbound.pk, notice_sent_at__isnull=True).update(
            notice_sent_at=now
        )
        if updated:
            record_event(
                stream=f"inbox:{inbound.pk}",
                type="inbox.rejection_notice_sent",
                actor=None,
                now=now,
                data={"inbound_email": inbound.pk, "to": inbound.from_address},
            )
    return bool(updated)


@transaction.atomic
def review_flagged(*, inbound: InboundEmail, actor: User, note: str, now: datetime) -> InboundEmail:
    """A person has read a flagged email and dealt with it; the note says how (a case logged by
    hand, spam, nothing needed). The original stays kept."""
    note = note.strip()
    if not note:
        raise ValidationError(
            "Say what you did about this email.", fields={"note": "must not be empty"}
        )
    updated = InboundEmail.objects.filter(
        pk=inbound.pk, status=InboundStatus.FLAGGED.value, reviewed_at__isnull=True
    ).update(reviewed_at=now, reviewed_by=actor, review_note=note)
    if not updated:
        raise ConflictError(
            "Someone has already dealt with this email.", fields={"email": "already reviewed"}
        )
    record_event(
        stream=f"inbox:{inbound.pk}",
        type="inbox.email_reviewed",
        actor=actor,
        now=now,
        data={"inbound_email": inbound.pk, "note": note},
    )
    inbound.refresh_from_db()
    return inbound
