"""Reads for mail in: an email by Message-ID, the case an email answers, the flagged ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import IO

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from amends.cases.models import Case, Interaction
from amends.customers.domain import authority_problem
from amends.customers.models import Representative
from amends.customers.selectors import authority_of
from amends.inbox.domain import InboundStatus
from amends.inbox.models import InboundEmail


def find_inbound(message_id: str) -> InboundEmail | None:
    return InboundEmail.objects.filter(message_id=message_id).first()


def find_case_answered(message_ids: Sequence[str]) -> Case | None:
    """The case holding the nearest of these Message-IDs (ours sent or theirs received)."""
    if not message_ids:
        return None
    found = dict(
        Interaction.objects.filter(message_id__in=list(message_ids)).values_list(
            "message_id", "case_id"
        )
    )
    for message_id in message_ids:
        if message_id in found:
            return Case.objects.select_related("customer").get(pk=found[message_id])
    return None


def find_case_by_reference(reference: str) -> Case | None:
    return Case.objects.select_related("customer").filter(reference=reference).first()


def speaks_for_case(case: Case, address: str, today: date) -> bool:
    """Whether this address is the case's customer's or one of their current representatives'
    (authority judged by the one rule, ``customers.domain.authority_problem``)."""
    if not address:
        return False
    if case.customer.email.lower() == address.lower():
        return True
    representatives = Representative.objects.filter(
        customer_id=case.customer_id, email__iexact=address
    )
    return any(
        authority_problem(authority_of(r), today, to_raise_complaint=False) is None
        for r in representatives
    )


def list_for_review() -> QuerySet[InboundEmail]:
    """Flagged emails, newest first: each waits for a person to read the original."""
    return InboundEmail.objects.filter(
        status=InboundStatus.FLAGGED.value, reviewed_at__isnull=True
    ).order_by("-received_at")


def find_flagged(inbound_id: int) -> InboundEmail | None:
    return InboundEmail.objects.filter(pk=inbound_id, status=InboundStatus.FLAGGED.value).first()


def may_answer_automatically(message_id: str) -> bool:
    """Whether an automatic answer (an acknowledgement) may go to the sender of this email."""
    inbound = find_inbound(message_id)
    return inbound is None or (
        inbound.status in (InboundStatus.CREATED.value, InboundStatus.THREADED.value)
        and not inbound.no_auto_reply
    )


def open_original(inbound_id: int) -> IO[bytes] | None:
    """The email exactly as it arrived, or ``None`` when it was not kept (refused)."""
    inbound = InboundEmail.objects.filter(pk=inbound_id).first()
    if inbound is None or not inbound.storage_name:
        return None
    return default_storage.open(inbound.storage_name, "rb")
