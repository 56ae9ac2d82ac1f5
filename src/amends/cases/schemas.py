"""API shapes for cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from amends.cases.domain import (
    CaseKind,
    Channel,
    Direction,
    FollowUpResult,
    JourneyStage,
    LinkKind,
    Outcome,
    Priority,
    StakeholderRole,
    Status,
)
from amends.core.schemas import Out
from amends.customers.schemas import CustomerBrief, CustomerIn


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("give a time zone, e.g. 2026-11-23T09:30:00Z or +00:00")
    return value


class DeterminationIn(StrictSchema):
    definition: str = Field("organisation", max_length=40)
    rationale: str = Field("", max_length=4000)


class StakeholderIn(StrictSchema):
    role: StakeholderRole
    user: str | None = Field(None, description="a username")
    team: str | None = Field(None, description="a team or department slug")
    note: str = Field("", max_length=200)


class CaseIn(StrictSchema):
    customer: str | CustomerIn = Field(
        description="an existing customer's reference (CU-…), or a new customer's details"
    )
    kind: CaseKind
    channel: Channel
    description: str = Field(min_length=1, max_length=50_000, description="the customer's words")
    summary: str = Field("", max_length=200)
    category: str | None = Field(None, description="a category slug")
    journey_stage: JourneyStage | None = None
    severity: int = Field(2, ge=1, le=4, description="1 minor, 2 moderate, 3 serious, 4 critical")
    priority: Priority = Priority.NORMAL
    remedy_sought: str = Field("", max_length=4000)
    product: str = Field("", max_length=200)
    read_back: str = Field(
        "", max_length=4000, description="the handler's paraphrase, read back to the customer"
    )
    team: str | None = Field(None, description="team slug; defaults to your first team")
    assignee: str | None = Field(None, description="a username")
    representative: int | None = Field(None, description="id of the customer's representative")
    received_at: datetime | None = None
    determination: DeterminationIn | None = None
    stakeholders: list[StakeholderIn] = Field(default_factory=list, max_length=50)

    _received_aware = field_validator("received_at")(_aware)


class CasePatch(StrictSchema):
    """Send ``version`` and only the fields to change; ``null`` clears an optional field."""

    version: int = Field(ge=1)
    summary: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=50_000)
    channel: Channel | None = None
    category: str | None = None
    journey_stage: JourneyStage | None = None
    severity: int | None = Field(None, ge=1, le=4)
    priority: Priority | None = None
    remedy_sought: str | None = Field(None, max_length=4000)
    product: str | None = Field(None, max_length=200)
    read_back: str | None = Field(None, max_length=4000)
    team: str | None = None
    assignee: str | None = None
    kind: CaseKind | None = None
    kind_reason: str | None = Field(None, max_length=4000)
    determination: DeterminationIn | None = None


class TransitionIn(StrictSchema):
    to: Status
    version: int = Field(ge=1)
    resolution_summary: str | None = Field(None, max_length=20_000)
    outcome: Outcome | None = None
    root_cause: str | None = Field(None, max_length=20_000)
    customer_confirmed: bool = False
    reason: str | None = Field(None, max_length=4000)
    level: int | None = Field(None, ge=1, le=10)


class FollowUpIn(StrictSchema):
    channel: Channel
    result: FollowUpResult
    note: str = Field("", max_length=4000)
    attempted_at: datetime | None = None

    _attempted_aware = field_validator("attempted_at")(_aware)


class FollowUpOut(Out):
    id: int
    channel: str
    result: str
    note: str
    attempted_at: datetime
    recorded_at: datetime


class MessageIn(StrictSchema):
    direction: Direction
    channel: Channel
    body: str = Field(min_length=1, max_length=200_000)
    subject: str = Field("", max_length=300)
    counterpart: str = Field("", max_length=254, description="who it was from or to")
    occurred_at: datetime | None = None
    communication: str | None = Field(
        None,
        max_length=120,
        description="a communication a policy pack requires, as pack/id (fca-disp/final_response)",
    )
    content_items: list[str] = Field(
        default_factory=list, max_length=50, description="the mandatory items the message has"
    )

    _occurred_aware = field_validator("occurred_at")(_aware)


class NoteIn(StrictSchema):
    body: str = Field(min_length=1, max_length=200_000)


class InteractionOut(Out):
    id: int
    kind: str
    direction: str
    channel: str
    subject: str
    body: str
    counterpart: str
    author: str | None
    occurred_at: datetime
    created_at: datetime


class AttachmentOut(Out):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    interaction: int | None
    uploaded_at: datetime


class LinkIn(StrictSchema):
    target: str
    kind: LinkKind


class LinkOut(Out):
    kind: str
    direction: str  # "out": this case → target; "in": another case → this case
    case: str


class StakeholderOut(Out):
    id: int
    role: str
    user: str | None
    team: str | None
    note: str


class DeterminationOut(Out):
    definition: str | None
    rationale: str
    determined_by: str | None
    determined_at: datetime | None


class CaseBrief(Out):
    reference: str
    version: int
    kind: str
    status: str
    summary: str
    category: str | None
    channel: str
    journey_stage: str | None
    severity: int
    priority: str
    customer: CustomerBrief
    team: str
    assignee: str | None
    escalation_level: int
    next_due_on: date | None = None
    overdue_tasks: bool = False
    received_at: datetime
    created_at: datetime
    updated_at: datetime


class CaseOut(CaseBrief):
    description: str
    remedy_sought: str
    product: str
    read_back: str
    representative: str | None
    resume_status: str | None
    resolution_summary: str
    outcome: str | None
    root_cause: str
    withdrawn_reason: str
    customer_confirmed_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    determination: DeterminationOut
    allowed_transitions: list[str]
    stakeholders: list[StakeholderOut]
    links: list[LinkOut]
    follow_up_attempts: int


class CasePage(Out):
    items: list[CaseBrief]
    next_cursor: str | None


class EventOut(Out):
    seq: int
    type: str
    occurred_at: datetime
    actor: str
    data: dict[str, Any]
    hash: str


class TimelineOut(Out):
    case: str
    events: list[EventOut]
    next_after: int | None


class CategoryOut(Out):
    slug: str
    name: str
    parent: str | None
    description: str


class DefinitionOut(Out):
    code: str
    name: str
    text: str
    source: str
