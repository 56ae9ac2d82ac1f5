"""/api/v1/remedies: the Consumer Rights Act 2015 remedies advisor."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from amends.accounts.auth import request_user
from amends.resolution.remedies import assess
from amends.resolution.schemas import AssessmentOut, FactsIn

router = Router(tags=["resolution"])


@router.post("/remedies/assess", response=AssessmentOut)
def assess_remedies(request: HttpRequest, payload: FactsIn) -> dict[str, Any]:
    """The statutory remedies a consumer is entitled to, from the facts of the purchase, with
    the sections relied on. Guidance for handlers, not legal advice."""
    request_user(request)
    return assess(payload.to_facts()).as_dict()
