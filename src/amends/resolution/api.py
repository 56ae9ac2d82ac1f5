"""/api/v1/remedies: the Consumer Rights Act 2015 remedies advisor."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as Reply
from pydantic import Field

from amends.accounts.auth import request_user
from amends.cases.access import access_case
from amends.core import clock
from amends.core.errors import NotFoundError
from amends.resolution import selectors, services
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
