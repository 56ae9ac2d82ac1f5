"""Messages, notes and attachments on a case: appended, never edited."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from amends.cases.attachments import check_attachment, safe_filename
from amends.cases.domain import Channel, Direction, InteractionKind
from amends.cases.models import Attachment, Case, Interaction
from amends.cases.services._common import record
from amends.core.errors import ValidationError
from amends.sla import services as sla_services

if TYPE_CHECKING:
    from amends.accounts.models import User


def _touch(case: Case, now: datetime) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=now)


@transaction.atomic
def record_message(
    *,
    case: Case,
    direction: Direction,
    channel: Channel,
    body: str,
    actor: User | None,
    now: datetime,
    subject: str = "",
    counterpart: str = "",
    occurred_at: datetime | None = None,
    communication: str | None = None,
    content_items: Sequence[str] = (),
    message_id: str = "",
) -> Interaction:
    """A message that came in from, or went out to, the customer on any channel.

    ``communication`` names a communication a policy pack requires (``fca-disp/final_response``);
    such a message is refused unless ``content_items`` has every mandatory item."""
    if direction is Direction.INTERNAL:
        raise ValidationError(
            "Messages go in or out; use a note for internal remarks.",
            fields={"direction": "must be inbound or outbound"},
        )
    body = body.strip()
    if not body:
        raise ValidationError("A message needs a body.", fields={"body": "must not be empty"})
    if communication:
        if direction is not Direction.OUTBOUND:
            raise ValidationError(
                "Only a message to the customer can be a required communication.",
                fields={"communication": "needs direction outbound"},
            )
        sla_services.check_communication(communication, content_items)
    when = occurred_at or now
    if when > now:
        raise ValidationError(
            "A message cannot be dated in the future.", fields={"occurred_at": "in the future"}
        )
    interaction = Interaction.objects.create(
        case=case,
        kind=InteractionKind.MESSAGE.value,
        direction=direction.value,
        channel=channel.value,
        subject=subject.strip(),
        body=body,
        counterpart=counterpart.strip(),
        message_id=message_id.strip().strip("<>"),
        author=actor,
        occurred_at=when,
        created_at=now,
    )
    _touch(case, now)
    record(
        case,
        "case.message_received" if direction is Direction.INBOUND else "case.message_sent",
        actor=actor,
        now=now,
        data={
            "interaction": interaction.pk,
            "direction": direction,
            "channel": channel,
            "subject": interaction.subject,
            "body": body,
            **(
                {"communication": communication, "content_items": sorted(set(content_items))}
                if communication
                else {}
            ),
            "counterpart": interaction.counterpart,
            **({"message_id": interaction.message_id} if interaction.message_id else {}),
            "occurred_at": when,
        },
    )
    return interaction


@transaction.atomic
def add_note(*, case: Case, body: str, actor: User | None, now: datetime) -> Interaction:
    """An internal note: seen by staff, never by the customer."""
    body = body.strip()
    if not body:
        raise ValidationError("A note needs a body.", fields={"body": "must not be empty"})
    note = Interaction.objects.create(
        case=case,
        kind=InteractionKind.NOTE.value,
        direction=Direction.INTERNAL.value,
        body=body,
        author=actor,
        occurred_at=now,
        created_at=now,
    )
    _touch(case, now)
    record(
        case, "case.note_added", actor=actor, now=now, data={"interaction": note.pk, "body": body}
    )
    return note


def add_attachment(
    *,
    case: Case,
    filename: str,
    data: bytes,
    actor: User | None,
    now: datetime,
    interaction: Interaction | None = None,
) -> Attachment:
    """Keep a file with the case. Checked by content and size; stored outside the database."""
    name = safe_filename(filename)
    content_type = check_attachment(name, data, settings.AMENDS_ATTACHMENT_MAX_BYTES)
    if interaction is not None and interaction.case_id != case.pk:
        raise ValidationError(
            "That message belongs to another case.", fields={"interaction": "other case"}
        )
    digest = hashlib.sha256(data).hexdigest()
    storage_name = f"{digest[:2]}/{digest[2:4]}/{digest}"
    written = False
    if not default_storage.exists(storage_name):
        default_storage.save(storage_name, ContentFile(data))
        written = True
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                interaction=interaction,
                filename=name,
                content_type=content_type,
                size=len(data),
                sha256=digest,
                storage_name=storage_name,
                uploaded_by=actor,
                uploaded_at=now,
            )
            _touch(case, now)
            record(
                case,
                "case.attachment_added",
                actor=actor,
                now=now,
                data={
                    "attachment": attachment.pk,
                    "filename": name,
                    "content_type": content_type,
                    "size": len(data),
                    "sha256": digest,
                    "interaction": interaction.pk if interaction else None,
                },
            )
    except BaseException:
        if written and not Attachment.objects.filter(storage_name=storage_name).exists():
            default_storage.delete(storage_name)
        raise
    return attachment
