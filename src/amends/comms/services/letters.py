"""Letters: an outbound message on the letter channel, printed from the case page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction
from amends.cases.services._common import record
from amends.comms.domain import LetterStatus, check_no_prompts, tag_subject
from amends.comms.models import Letter
from amends.core.errors import ValidationError

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case
    from amends.comms.models import ReplyTemplate


@transaction.atomic
def prepare_letter(
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
) -> Letter:
    """Record ``body`` as a letter to the customer, in their preferred format, to be printed
    and posted (or handed over); the case shows it as a letter to print until it is."""
    check_no_prompts(body)
    customer = case.customer
    subject = tag_subject(subject.strip() or f"Your complaint: {case.summary}", case.reference)
    interaction = case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.LETTER,
        body=body,
        subject=subject[:300],
        counterpart=customer.name,
        communication=communication,
        content_items=content_items,
        actor=actor,
        now=now,
    )
    address = "\n".join(p for p in (customer.address.strip(), customer.postcode.strip()) if p)
    letter = Letter.objects.create(
        interaction=interaction,
        case=case,
        purpose=purpose or (template.purpose if template else ""),
        to_name=customer.name,
        to_address=address,
        format=customer.preferred_format,
        status=LetterStatus.TO_PRINT.value,
        created_at=now,
    )
    record(
        case,
        "case.letter_prepared",
        actor=actor,
        now=now,
        data={
            "letter": letter.pk,
            "interaction": interaction.pk,
            "format": letter.format,
            "template": template.code if template else None,
        },
    )
    return letter


@transaction.atomic
def mark_letter_printed(*, letter: Letter, actor: User | None, now: datetime) -> Letter:
    """The letter has been printed and sent; it leaves the case's "to print" list."""
    if letter.status == LetterStatus.PRINTED.value:
        raise ValidationError(
            "This letter is already marked as printed.", fields={"letter": "already printed"}
        )
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.PRINTED.value, printed_at=now)
    letter.status, letter.printed_at = LetterStatus.PRINTED.value, now
    record(
        letter.case,
        "case.letter_printed",
        actor=actor,
        now=now,
        data={"letter": letter.pk, "interaction": letter.interaction_id},
    )
    return letter
