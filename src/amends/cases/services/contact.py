"""A customer's own contact becoming a case: email in, the portal, web forms and chat tools.

Staff log cases with :func:`create_case`; contacts that arrive without a handler land here. The
case goes to the intake team (``AMENDS_INTAKE_TEAM``, else the first case-handling team), the
customer's words are kept as the first inbound message, and the kind is recorded as a
determination a handler confirms or changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from amends.accounts import selectors as account_selectors
from amends.cases.domain import CaseDetails, CaseKind, Channel, Direction, summarise
from amends.cases.models import Case, Interaction
from amends.cases.services.intake import Determination, NewCustomer, create_case
from amends.cases.services.interactions import record_message
from amends.core.errors import ValidationError

if TYPE_CHECKING:
    from amends.accounts.models import Team, User
    from amends.customers.models import Customer


@dataclass(frozen=True)
class Contact:
    """What the customer sent, in their words."""

    channel: Channel
    description: str
    summary: str = ""
    remedy_sought: str = ""
    subject: str = ""
    counterpart: str = ""  # the address or handle it came from
    message_id: str = ""  # an email's Message-ID, without angle brackets
    received_at: datetime | None = None


def intake_team() -> Team:
    """The team new contacts land in."""
    slug = settings.AMENDS_INTAKE_TEAM
    teams = account_selectors.list_case_teams()
    team = teams.filter(slug=slug).first() if slug else teams.first()
    if team is None:
        raise ValidationError(
            "No team handles cases yet, so a contact has nowhere to land. "
            + (f"Team {slug!r} (AMENDS_INTAKE_TEAM) does not exist." if slug else "Create one."),
            fields={"team": "no intake team"},
        )
    return team


@transaction.atomic
def log_contact(
    *,
    contact: Contact,
    customer: Customer | NewCustomer,
    now: datetime,
    kind: CaseKind = CaseKind.COMPLAINT,
    rationale: str = "",
    actor: User | None = None,
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
) -> tuple[Case, Interaction, bool]:
    """Create a case from a customer's contact, with their words as its first inbound message.

    Without a person deciding, a contact is recorded as a complaint (any expression of
    dissatisfaction is one under the regulators' definitions) until a handler says otherwise.

    ``actor`` is the integration's user when another system passes the contact on; with an
    ``idempotency_key`` it already used, the first case comes back and the flag is ``False``."""
    description = contact.description.strip()
    if not description:
        raise ValidationError("Tell us what happened.", fields={"description": "must not be empty"})
    details = CaseDetails(
        summary=(contact.summary or contact.subject or summarise(description)).strip()[:200],
        description=description,
        channel=contact.channel,
        remedy_sought=contact.remedy_sought.strip(),
    )
    case, created = create_case(
        kind=kind,
        details=details,
        customer=customer,
        team=intake_team(),
        actor=actor,
        now=now,
        received_at=contact.received_at,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
        determination=Determination(
            rationale=rationale
            or f"Raised by the customer through {contact.channel.value.replace('_', ' ')}; "
            "recorded as a complaint until a handler confirms the kind."
        ),
    )
    if not created:
        first = case.interactions.filter(direction=Direction.INBOUND.value).order_by("id").first()
        if first is None:  # pragma: no cover - every contact case starts with its message
            raise ValueError(f"{case.reference} has no first message")
        return case, first, False
    message = record_message(
        case=case,
        direction=Direction.INBOUND,
        channel=contact.channel,
        body=description,
        actor=actor,
        now=now,
        subject=contact.subject or details.summary,
        counterpart=contact.counterpart,
        occurred_at=contact.received_at,
        message_id=contact.message_id,
    )
    return case, message, True
