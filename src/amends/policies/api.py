"""/api/v1/policies: the shipped policy packs, and what-if deadlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from amends.accounts.auth import request_user
from amends.policies import whatif
from amends.policies.packs import all_packs, get_pack
from amends.sla.domain import ClockEvent, Nation

router = Router(tags=["policies"])


class EventIn(Schema):
    event: ClockEvent
    at: datetime


class WhatIfIn(Schema):
    received: datetime
    nation: Nation = Nation.ENGLAND
    events: list[EventIn] = Field(default_factory=list, max_length=50)
    extensions: dict[str, int] = Field(default_factory=dict)
    closures: list[date] = Field(default_factory=list, max_length=366)


class DeadlineOut(Schema):
    id: str
    title: str
    due: date | None
    basis: str
    source: str
    verified: bool


class WhatIfOut(Schema):
    pack: str
    nation: Nation
    deadlines: list[DeadlineOut]


class PackOut(Schema):
    id: str
    name: str
    source: str
    kinds: list[str]
    pauses_allowed: bool
    deadlines: list[dict[str, Any]]
    communications: list[dict[str, Any]]


def _pack_out(pack_id: str) -> dict[str, Any]:
    pack = get_pack(pack_id)
    return {
        "id": pack.id,
        "name": pack.name,
        "source": pack.source,
        "kinds": list(pack.kinds),
        "pauses_allowed": pack.pauses_allowed,
        "deadlines": [
            {
                "id": r.id,
                "title": r.title,
                "count": r.count,
                "unit": r.unit.value,
                "start": r.start.value,
                "stop": [s.value for s in r.stop],
                "pausable": r.pausable,
                "extension_cap": r.extension.cap if r.extension else None,
                "source": r.source,
                "verified": r.verified,
            }
            for r in pack.deadlines
        ],
        "communications": [
            {"id": c.id, "title": c.title, "mandatory_items": list(c.mandatory_items)}
            for c in pack.communications
        ],
    }


@router.get("/policies", response=list[PackOut])
def list_packs(request: HttpRequest) -> list[dict[str, Any]]:
    request_user(request)
    return [_pack_out(pack_id) for pack_id in sorted(all_packs())]


@router.get("/policies/{pack}", response=PackOut)
def get_policy(request: HttpRequest, pack: str) -> dict[str, Any]:
    request_user(request)
    return _pack_out(pack)


@router.post("/policies/{pack}/deadlines", response=WhatIfOut)
def what_if(request: HttpRequest, pack: str, payload: WhatIfIn) -> dict[str, Any]:
    """The pack's due dates for a complaint received at ``received``, given later events."""
    request_user(request)
    return whatif.deadlines(
        pack_id=pack,
        received=payload.received,
        nation=payload.nation,
        events=[(e.event, e.at) for e in payload.events],
        extensions=payload.extensions,
        closures=payload.closures,
    )
