"""/api/v1/remedies: the Consumer Rights Act 2015 remedies advisor."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Reply
from pydantic import Field

from amends.accounts.auth import request_user
from amends.accounts.domain import can_see_reports
from amends.cases.access import access_case
from amends.core import clock
from amends.core.errors import NotFoundError, PermissionDeniedError
from amends.resolution import selectors, services
from amends.resolution.domain import RedressBasis, RedressKind
from amends.resolution.remedies import assess
from amends.resolution.schemas import AssessmentOut, FactsIn

router = Router(tags=["resolution"])


@router.post("/remedies/assess", response=AssessmentOut)
def assess_remedies(request: HttpRequest, payload: FactsIn) -> dict[str, Any]:
    """The statutory remedies a consumer is entitled to, from the facts of the purchase, with
    the sections relied on. Guidance for handlers, not legal advice."""
    request_user(request)
    return assess(payload.to_facts()).as_dict()


class OptionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=4000)
    scores: dict[str, int] = Field(description="each factor scored 1 (poor) to 5 (good)")
    remedy_facts: FactsIn | None = Field(
        None, description="facts of a purchase: the remedies advisor's result is attached"
    )


class OptionOut(Schema):
    id: int
    title: str
    description: str
    scores: dict[str, int]
    weighted: float
    remedy_assessment: dict[str, Any] | None
    chosen: bool
    justification: str
    cited_factors: list[str]


class ChoiceIn(Schema):
    justification: str = Field(max_length=4000)
    factors: list[str] = Field(max_length=20)


@router.get("/cases/{reference}/options", response=list[OptionOut])
def list_options(request: HttpRequest, reference: str) -> list[Any]:
    case = access_case(request_user(request), reference)
    return list(selectors.list_options(case))


@router.post("/cases/{reference}/options", response={201: OptionOut})
def add_option(request: HttpRequest, reference: str, payload: OptionIn) -> Reply[Any]:
    """Add a solution option, scored on the organisation's factors."""
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    option = services.add_option(
        case=case,
        title=payload.title,
        description=payload.description,
        scores=payload.scores,
        remedy_facts=payload.remedy_facts.to_facts() if payload.remedy_facts else None,
        actor=user,
        now=clock.now(),
    )
    return Reply(201, option)


@router.post("/cases/{reference}/options/{option_id}/choose", response=OptionOut)
def choose_option(request: HttpRequest, reference: str, option_id: int, payload: ChoiceIn) -> Any:
    """Choose an option: the justification must rest on at least two factors."""
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    option = selectors.find_option(case, option_id)
    if option is None:
        raise NotFoundError("That option is not on this case.", fields={"option": "unknown"})
    return services.choose_option(
        option=option,
        justification=payload.justification,
        factors_cited=payload.factors,
        actor=user,
        now=clock.now(),
    )


class RedressIn(Schema):
    kind: RedressKind
    basis: RedressBasis
    amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    description: str = Field("", max_length=500)


class RedressOut(Schema):
    id: int
    kind: str
    basis: str
    amount: Decimal | None
    description: str
    status: str
    approved_at: datetime | None
    offered_at: datetime | None
    decided_at: datetime | None
    paid_on: date | None
    payment_reference: str


class DecisionIn(Schema):
    accepted: bool


class PaidIn(Schema):
    paid_on: date
    reference: str = Field("", max_length=100)


class TotalOut(Schema):
    kind: str
    basis: str
    status: str
    count: int
    amount: Decimal


def _redress_for(request: HttpRequest, redress_id: int, *, write: bool = True) -> Any:
    user = request_user(request)
    redress = selectors.find_redress(redress_id)
    if redress is None:
        raise NotFoundError("No such redress.", fields={"redress": "unknown"})
    access_case(user, redress.case.reference, for_write=write)
    return user, redress


@router.get("/cases/{reference}/redress", response=list[RedressOut])
def list_redress(request: HttpRequest, reference: str) -> list[Any]:
    case = access_case(request_user(request), reference)
    return list(selectors.list_redress(case))


@router.post("/cases/{reference}/redress", response={201: RedressOut})
def propose_redress(request: HttpRequest, reference: str, payload: RedressIn) -> Reply[Any]:
    """Offer redress; above your role's limit it waits for an approver."""
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    redress = services.propose_redress(
        case=case,
        kind=payload.kind,
        basis=payload.basis,
        amount=payload.amount,
        description=payload.description,
        actor=user,
        now=clock.now(),
    )
    return Reply(201, redress)


@router.post("/redress/{redress_id}/approve", response=RedressOut)
def approve_redress(request: HttpRequest, redress_id: int) -> Any:
    user, redress = _redress_for(request, redress_id)
    return services.approve_redress(redress=redress, approver=user, now=clock.now())


@router.post("/redress/{redress_id}/decision", response=RedressOut)
def redress_decision(request: HttpRequest, redress_id: int, payload: DecisionIn) -> Any:
    user, redress = _redress_for(request, redress_id)
    return services.record_redress_decision(
        redress=redress, accepted=payload.accepted, actor=user, now=clock.now()
    )


@router.post("/redress/{redress_id}/paid", response=RedressOut)
def redress_paid(request: HttpRequest, redress_id: int, payload: PaidIn) -> Any:
    user, redress = _redress_for(request, redress_id)
    return services.mark_redress_paid(
        redress=redress,
        paid_on=payload.paid_on,
        reference=payload.reference,
        actor=user,
        now=clock.now(),
    )


@router.get("/reports/redress", response=list[TotalOut])
def redress_report(request: HttpRequest, start: date, end: date) -> list[dict[str, Any]]:
    """Redress by kind, basis and status for cases' offers made from ``start`` to ``end``
    (inclusive dates, the organisation's zone)."""
    user = request_user(request)
    if not can_see_reports(user.role_enum):
        raise PermissionDeniedError("Reports are for managers, the DPO, admins and auditors.")
    zone = clock.local_zone()
    return selectors.redress_totals(
        datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )
