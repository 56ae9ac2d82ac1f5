"""The redress ledger: offers, approval limits by role, decisions and payment.

Each change is an event on a timeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from amends.core import timeline
from amends.core.errors import PermissionDeniedError, ValidationError
from amends.resolution.domain import (
    RedressBasis,
    RedressKind,
    RedressStatus,
    check_amount,
    needs_approval,
    parse_limits,
)
from amends.resolution.models import (
    Redress,
)

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Case


def redress_limits() -> dict[str, Decimal]:
    return parse_limits(settings.AMENDS_REDRESS_LIMITS)


def _redress_event(
    redress: Redress, event_type: str, actor: User | None, now: datetime, **extra: object
) -> None:
    timeline.record_event(
        stream=redress.case.stream,
        type=event_type,
        actor=actor,
        now=now,
        data={
            "redress": redress.pk,
            "kind": redress.kind,
            "basis": redress.basis,
            "amount": str(redress.amount) if redress.amount is not None else None,
            "status": redress.status,
            **extra,
        },
    )


@transaction.atomic
def propose_redress(
    *,
    case: Case,
    kind: RedressKind,
    basis: RedressBasis,
    actor: User,
    now: datetime,
    amount: Decimal | None = None,
    description: str = "",
) -> Redress:
    """Offer redress; above the proposer's approval limit it waits for an approver."""
    amount = check_amount(kind, amount)
    waits = needs_approval(actor.role, amount, redress_limits())
    redress = Redress.objects.create(
        case=case,
        kind=kind.value,
        basis=basis.value,
        amount=amount,
        description=description.strip(),
        status=(RedressStatus.AWAITING_APPROVAL if waits else RedressStatus.OFFERED).value,
        requested_by=actor,
        offered_at=None if waits else now,
        created_at=now,
    )
    if waits:
        limit = redress_limits().get(actor.role, Decimal(0))
        _redress_event(redress, "redress.approval_requested", actor, now, limit=str(limit))
    else:
        _redress_event(redress, "redress.offered", actor, now)
    return redress


@transaction.atomic
def approve_redress(*, redress: Redress, approver: User, now: datetime) -> Redress:
    if redress.status != RedressStatus.AWAITING_APPROVAL:
        raise ValidationError(
            f"This redress is {redress.status}.", fields={"status": redress.status}
        )
    if redress.requested_by_id == approver.pk:
        raise PermissionDeniedError(
            "Someone other than the person who proposed it must approve it."
        )
    if needs_approval(approver.role, redress.amount, redress_limits()):
        raise PermissionDeniedError(
            f"£{redress.amount} is above your approval limit; ask someone with a higher limit."
        )
    claimed = Redress.objects.filter(pk=redress.pk, status=RedressStatus.AWAITING_APPROVAL).update(
        status=RedressStatus.OFFERED, approved_by=approver, approved_at=now, offered_at=now
    )
    if not claimed:
        raise ValidationError("Someone else has just decided this.", fields={"status": "changed"})
    redress.refresh_from_db()
    _redress_event(redress, "redress.approved", approver, now)
    return redress


@transaction.atomic
def record_redress_decision(
    *, redress: Redress, accepted: bool, actor: User | None, now: datetime
) -> Redress:
    if redress.status != RedressStatus.OFFERED:
        raise ValidationError(
            f"Only an offer can be accepted or refused; this one is {redress.status}.",
            fields={"status": redress.status},
        )
    redress.status = (RedressStatus.ACCEPTED if accepted else RedressStatus.REFUSED).value
    redress.decided_at = now
    redress.save(update_fields=["status", "decided_at"])
    _redress_event(redress, "redress.accepted" if accepted else "redress.refused", actor, now)
    return redress


@transaction.atomic
def mark_redress_paid(
    *, redress: Redress, paid_on: date, reference: str, actor: User | None, now: datetime
) -> Redress:
    if redress.status != RedressStatus.ACCEPTED or redress.amount is None:
        raise ValidationError(
            "Only accepted money redress can be paid.", fields={"status": redress.status}
        )
    redress.status, redress.paid_on = RedressStatus.PAID.value, paid_on
    redress.payment_reference = reference.strip()
    redress.save(update_fields=["status", "paid_on", "payment_reference"])
    _redress_event(redress, "redress.paid", actor, now, paid_on=paid_on.isoformat())
    return redress
