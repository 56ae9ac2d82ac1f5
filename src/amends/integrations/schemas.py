"""API shapes for channels from other systems."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from amends.core.schemas import Out
from amends.customers.domain import Adjustment, ContactChannel

IntakeChannel = Literal["web_form", "chat", "social_media", "sms", "email", "portal"]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class IntakeCustomerIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    preferred_channel: ContactChannel | None = Field(
        None, description="defaults to email when there is an address, else phone"
    )
    adjustments: list[Adjustment] = Field(default_factory=list, max_length=20)
    external_id: str = Field("", max_length=100, description="the customer's id in your system")


class IntakeIn(StrictSchema):
    channel: IntakeChannel = "web_form"
    customer: IntakeCustomerIn
    what_happened: str = Field(min_length=1, max_length=50_000, description="their own words")
    what_they_want: str = Field("", max_length=4000)
    summary: str = Field("", max_length=200)
    external_reference: str = Field(
        "", max_length=200, description="the contact's id in your system, returned with the case"
    )
    received_at: datetime | None = Field(None, description="when the customer contacted you")

    @field_validator("what_happened")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("received_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-11-23T09:30:00Z or +00:00")
        return value


class IntakeLinks(Out):
    case: str
    page: str


class IntakeOut(Out):
    reference: str
    status: str
    kind: str
    channel: str
    customer: str
    message: int
    received_at: datetime
    external_reference: str
    links: IntakeLinks


class DeliveryOut(Out):
    id: str
    endpoint: str
    event_id: int
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
