"""API shapes for customers."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from amends.core.schemas import Out
from amends.customers.domain import (
    Adjustment,
    AuthorityScope,
    ContactChannel,
    ContactFormat,
    CustomerKind,
    LawfulBasis,
    Relationship,
    VulnerabilityBasis,
    VulnerabilityDriver,
)


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class VulnerabilityIn(StrictSchema):
    driver: VulnerabilityDriver
    basis: VulnerabilityBasis = VulnerabilityBasis.EXPLICIT_CONSENT
    consent_given: bool = False
    detail: str = Field("", max_length=2000)
    support_needed: str = Field("", max_length=2000)
    review_on: date | None = None


class VulnerabilityOut(Out):
    id: int
    driver: str
    basis: str
    # Null for roles that may record vulnerability but not read its details back.
    detail: str | None
    support_needed: str | None
    consent_given_at: datetime | None
    review_on: date | None
    recorded_at: datetime
    ended_at: datetime | None


class RepresentativeIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    relationship: Relationship
    authority_evidence: str = Field(min_length=1, max_length=2000)
    scope: AuthorityScope = AuthorityScope.COMPLAINTS
    organisation_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    evidence_verified: bool = False
    valid_from: date | None = None
    expires_on: date | None = None


class RepresentativeOut(Out):
    id: int
    name: str
    relationship: str
    organisation_name: str
    email: str
    phone: str
    authority_evidence: str
    evidence_verified_at: datetime | None
    scope: str
    valid_from: date | None
    expires_on: date | None
    revoked_at: datetime | None


class ContactIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    organisation_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=1000)
    postcode: str = Field("", max_length=12)
    preferred_channel: ContactChannel = ContactChannel.EMAIL
    preferred_format: ContactFormat = ContactFormat.STANDARD
    preferred_language: str = Field("en", max_length=16)
    adjustments: list[Adjustment] = Field(default_factory=list)
    adjustments_note: str = Field("", max_length=2000)
    segment: str = Field("", max_length=60)
    external_id: str = Field("", max_length=100)


class CustomerIn(ContactIn):
    kind: CustomerKind = CustomerKind.PERSON
    lawful_basis: LawfulBasis | None = None
    vulnerabilities: list[VulnerabilityIn] = Field(default_factory=list)
    representatives: list[RepresentativeIn] = Field(default_factory=list)


class CustomerPatch(ContactIn):
    version: int = Field(ge=1)


class CustomerBrief(Out):
    reference: str
    kind: str
    name: str
    internal: bool
    vulnerable: bool
    adjustments: list[str]
    preferred_channel: str
    preferred_format: str


class CustomerOut(CustomerBrief):
    version: int
    organisation_name: str
    email: str
    phone: str
    address: str
    postcode: str
    preferred_language: str
    adjustments_note: str
    segment: str
    external_id: str
    lawful_basis: str
    representatives: list[RepresentativeOut]
    # Only for roles that may see vulnerability details; null otherwise.
    vulnerabilities: list[VulnerabilityOut] | None
    created_at: datetime
    updated_at: datetime


class CustomerPage(Out):
    items: list[CustomerBrief]
    next_cursor: str | None
