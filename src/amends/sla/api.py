"""/api/v1/cases/{ref}/clocks: a case's deadlines, and extending one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from amends.accounts.auth import request_user
from amends.cases.access import access_case
from amends.core import clock
from amends.core.schemas import Out
from amends.sla import selectors as sla_selectors
from amends.sla import services as sla_services

router = Router(tags=["clocks"])


class ClockOut(Out):
    pack: str
    rule: str
    title: str
    source: str
    verified: bool
    basis: str
    started_on: date | None
    due_on: date | None
    due_at: datetime | None
    paused: bool
    extended_by: int
    stopped_at: datetime | None
    met: bool | None
    warned_at: datetime | None
    breached_at: datetime | None


class ExtensionIn(Schema):
    amount: int = Field(ge=1, le=366, description="in the deadline's own unit")
    reason: str = Field(min_length=1, max_length=2000)
    notice_items: list[str] = Field(
        default_factory=list, max_length=20, description="what the notice to the customer says"
    )


@router.post("/cases/{reference}/clocks/{pack}/{rule}/extensions", response=list[ClockOut])
def extend_deadline(
    request: HttpRequest, reference: str, pack: str, rule: str, payload: ExtensionIn
) -> list[Any]:
    """Extend a deadline within its pack's cap, with the notice the pack requires."""
    user = request_user(request)
    case = access_case(user, reference, for_write=True)
    sla_services.extend_deadline(
        case=case,
        pack_id=pack,
        rule_id=rule,
        amount=payload.amount,
        reason=payload.reason,
        notice_items=payload.notice_items,
        actor=user,
        now=clock.now(),
    )
    return list(sla_selectors.list_clocks(case))


@router.get("/cases/{reference}/clocks", response=list[ClockOut])
def list_clocks(request: HttpRequest, reference: str) -> list[Any]:
    """The case's deadlines: rule, source, due date, and whether each was met."""
    case = access_case(request_user(request), reference)
    return list(sla_selectors.list_clocks(case))
