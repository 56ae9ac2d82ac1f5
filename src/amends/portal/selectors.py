"""Reads for the portal: only what a customer may see of their own cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from amends.cases.domain import TRANSITION_EVENTS, InteractionKind, Status, allowed_moves
from amends.cases.models import Attachment, Case, Interaction
from amends.cases.selectors import lifecycle_policy, state_of
from amends.core.models import Event
from amends.customers.models import Customer

# The case events a customer sees: the case arriving and each change of status.
STATUS_EVENTS = frozenset({"case.created", "case.resumed", *TRANSITION_EVENTS.values()})


@dataclass(frozen=True)
class Happening:
    """One thing in a case's history as the customer may see it (see presenters.history)."""

    at: datetime
    kind: str  # "status", "message" or "document"
    event_type: str = ""
    by_customer: bool = False
    inbound: bool = False
    channel: str = ""
    body: str = ""
    reason: str = ""
    filename: str = ""
    document_id: int | None = None
    seq: int = 0


def find_own_document(case: Case, document_id: int) -> Attachment | None:
    """A document the customer sent us on this case (never one staff added)."""
    return Attachment.objects.filter(case=case, pk=document_id, uploaded_by__isnull=True).first()


def find_customer(customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def list_customer_cases(customer_id: int) -> QuerySet[Case]:
    return Case.objects.filter(customer_id=customer_id).order_by("-received_at", "-id")


def can_withdraw(case: Case, now: datetime) -> bool:
    return Status.WITHDRAWN in allowed_moves(state_of(case), now, lifecycle_policy())


def case_history(case: Case) -> list[Happening]:
    """Messages in and out, status changes and the customer's own documents, oldest first.
    Never internal notes, never who on our side did what, never documents staff added."""
    found: list[Happening] = []
    events = Event.objects.filter(stream=case.stream, type__in=STATUS_EVENTS).order_by("seq")
    for event in events.only("type", "occurred_at", "actor_label", "data", "seq"):
        by_customer = event.actor_label == "customer"
        found.append(
            Happening(
                at=event.occurred_at,
                kind="status",
                event_type=event.type,
                by_customer=by_customer,
                reason=str(event.data.get("reason", "")) if by_customer else "",
                seq=event.seq,
            )
        )
    messages = Interaction.objects.filter(case=case, kind=InteractionKind.MESSAGE.value)
    for message in messages.order_by("occurred_at", "id"):
        found.append(
            Happening(
                at=message.occurred_at,
                kind="message",
                inbound=message.direction == "inbound",
                channel=message.channel,
                body=message.body,
            )
        )
    documents = Attachment.objects.filter(case=case, uploaded_by__isnull=True)
    for document in documents.order_by("uploaded_at", "id"):
        found.append(
            Happening(
                at=document.uploaded_at,
                kind="document",
                filename=document.filename,
                document_id=document.pk,
            )
        )
    order = {"status": 0, "message": 1, "document": 2}
    return sorted(found, key=lambda h: (h.at, order[h.kind], h.seq))
