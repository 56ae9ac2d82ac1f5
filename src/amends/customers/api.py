"""/api/v1/customers: parse, check access, call a service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as Reply
from pydantic import Field

from amends.accounts.auth import request_user
from amends.core import clock
from amends.customers import selectors
from amends.customers import services as customer_services
from amends.customers.access import access_customer, check_can_create_customers
from amends.customers.domain import ContactDetails, RepresentativeDraft, VulnerabilityDraft
from amends.customers.models import Customer
from amends.customers.presenters import customer_brief, customer_detail, vulnerability_out
from amends.customers.schemas import (
    ContactIn,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    RepresentativeIn,
    RepresentativeOut,
    VulnerabilityIn,
    VulnerabilityOut,
)

router = Router(tags=["customers"])


class CustomerFilter(Schema):
    q: str | None = Field(None, max_length=200)
    cursor: int | None = None
    limit: int = Field(50, ge=1, le=settings.AMENDS_PAGE_SIZE_MAX)


def contact_details(payload: ContactIn) -> ContactDetails:
    return ContactDetails(
        name=payload.name,
        organisation_name=payload.organisation_name,
        email=payload.email,
        phone=payload.phone,
        address=payload.address,
        postcode=payload.postcode,
        preferred_channel=payload.preferred_channel,
        preferred_format=payload.preferred_format,
        preferred_language=payload.preferred_language,
        adjustments=tuple(payload.adjustments),
        adjustments_note=payload.adjustments_note,
        segment=payload.segment,
        external_id=payload.external_id,
    )


def vulnerability_draft(payload: VulnerabilityIn) -> VulnerabilityDraft:
    return VulnerabilityDraft(**payload.model_dump())


def representative_draft(payload: RepresentativeIn) -> RepresentativeDraft:
    return RepresentativeDraft(**payload.model_dump())


def create_from_payload(request: HttpRequest, payload: CustomerIn) -> Customer:
    check_can_create_customers(request_user(request))
    return customer_services.create_customer(
        kind=payload.kind,
        details=contact_details(payload),
        actor=request_user(request),
        now=clock.now(),
        vulnerabilities=[vulnerability_draft(v) for v in payload.vulnerabilities],
        representatives=[representative_draft(r) for r in payload.representatives],
        lawful_basis=payload.lawful_basis.value if payload.lawful_basis else None,
    )


@router.post("/customers", response={201: CustomerOut})
def create_customer(request: HttpRequest, payload: CustomerIn) -> Reply[Any]:
    customer = create_from_payload(request, payload)
    return Reply(201, customer_detail(customer, request_user(request)))


@router.get("/customers", response=CustomerPage)
def list_customers(request: HttpRequest, filters: Query[CustomerFilter]) -> dict:
    rows, next_cursor = selectors.page_customers(filters.q, filters.cursor, filters.limit)
    flagged = selectors.vulnerable_customer_ids([c.pk for c in rows])
    return {
        "items": [customer_brief(c, vulnerable=c.pk in flagged) for c in rows],
        "next_cursor": str(next_cursor) if next_cursor else None,
    }


@router.get("/customers/{reference}", response=CustomerOut)
def get_customer(request: HttpRequest, reference: str) -> dict:
    customer = access_customer(request_user(request), reference)
    return customer_detail(customer, request_user(request))


@router.patch("/customers/{reference}", response=CustomerOut)
def update_customer(request: HttpRequest, reference: str, payload: CustomerPatch) -> dict:
    customer = access_customer(request_user(request), reference, for_write=True)
    customer_services.update_contact_details(
        customer=customer,
        details=contact_details(payload),
        expected_version=payload.version,
        actor=request_user(request),
        now=clock.now(),
    )
    return customer_detail(customer, request_user(request))


@router.post("/customers/{reference}/vulnerabilities", response={201: VulnerabilityOut})
def add_vulnerability(request: HttpRequest, reference: str, payload: VulnerabilityIn) -> Reply[Any]:
    customer = access_customer(request_user(request), reference, for_write=True)
    vulnerability = customer_services.record_vulnerability(
        customer=customer,
        draft=vulnerability_draft(payload),
        actor=request_user(request),
        now=clock.now(),
    )
    return Reply(201, vulnerability_out(vulnerability, request_user(request)))


@router.post("/customers/{reference}/representatives", response={201: RepresentativeOut})
def add_representative(
    request: HttpRequest, reference: str, payload: RepresentativeIn
) -> Reply[Any]:
    customer = access_customer(request_user(request), reference, for_write=True)
    with transaction.atomic():
        representative = customer_services.add_representative(
            customer=customer,
            draft=representative_draft(payload),
            actor=request_user(request),
            now=clock.now(),
        )
    return Reply(201, representative)
