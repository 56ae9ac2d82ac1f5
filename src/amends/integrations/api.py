"""/api/v1/intake and /api/v1/webhooks: contacts from other systems, and what we sent them."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Header, Query, Router
from ninja.responses import Status as Reply

from amends.accounts.auth import request_user
from amends.cases import services as case_services
from amends.cases.domain import Channel
from amends.core import clock
from amends.core.errors import ValidationError
from amends.core.timeline import canonical
from amends.customers.domain import ContactChannel, ContactDetails, CustomerKind, clean_contact
from amends.customers.selectors import find_customer_by_email
from amends.integrations import selectors
from amends.integrations import services as integration_services
from amends.integrations.access import check_can_see_deliveries, check_can_take_contacts
from amends.integrations.domain import DeliveryStatus
from amends.integrations.schemas import DeliveryOut, IntakeCustomerIn, IntakeIn, IntakeOut

router = Router(tags=["integrations"])


def _clean_customer(new: IntakeCustomerIn) -> ContactDetails:
    """The customer's details, validated as everywhere else; errors name ``customer.<field>``."""
    preferred = new.preferred_channel or (
        ContactChannel.PHONE
        if new.phone.strip() and not new.email.strip()
        else ContactChannel.EMAIL
    )
    details = ContactDetails(
        name=new.name,
        email=new.email,
        phone=new.phone,
        preferred_channel=preferred,
        adjustments=tuple(new.adjustments),
        external_id=new.external_id,
    )
    try:
        return clean_contact(details, CustomerKind.PERSON, settings.AMENDS_PHONE_REGION)
    except ValidationError as exc:
        raise ValidationError(
            exc.message,
            fields={f"customer.{name}": problems for name, problems in exc.fields.items()},
        ) from None


def _customer_for(details: ContactDetails) -> Any:
    found = selectors.find_customer_by_external_id(details.external_id)
    if found is None and details.email:
        found = find_customer_by_email(details.email)
    if found is not None:
        return found
    return case_services.NewCustomer(kind=CustomerKind.PERSON, details=details)


def _fingerprint(payload: IntakeIn) -> str:
    return hashlib.sha256(canonical(payload.model_dump(mode="json")).encode()).hexdigest()


@router.post("/intake", response={200: IntakeOut, 201: IntakeOut})
def intake(
    request: HttpRequest,
    payload: IntakeIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> Reply[Any]:
    """Pass on a customer's contact from a web form, chat tool or other system: it becomes a case
    in the intake team, with their words as its first message. The customer is matched by
    ``external_id``, then email; otherwise a new customer is recorded. Repeat the request with the
    same ``Idempotency-Key`` to get the same case back (200)."""
    user, now = request_user(request), clock.now()
    check_can_take_contacts(user)
    details = _clean_customer(payload.customer)
    received = integration_services.receive_contact(
        contact=case_services.Contact(
            channel=Channel(payload.channel),
            description=payload.what_happened,
            summary=payload.summary,
            remedy_sought=payload.what_they_want,
            counterpart=details.email or details.phone,
            received_at=payload.received_at,
        ),
        customer=_customer_for(details),
        actor=user,
        now=now,
        external_reference=payload.external_reference.strip(),
        idempotency_key=idempotency_key,
        request_fingerprint=_fingerprint(payload),
    )
    case = received.case
    body = {
        "reference": case.reference,
        "status": case.status,
        "kind": case.kind,
        "channel": case.channel,
        "customer": case.customer.reference,
        "message": received.message.pk,
        "received_at": case.received_at,
        "external_reference": received.external_reference,
        "links": {
            "case": f"/api/v1/cases/{case.reference}",
            "page": reverse("cases:detail", args=[case.reference]),
        },
    }
    return Reply(201 if received.created else 200, body)


@router.get("/webhooks/deliveries", response=list[DeliveryOut])
def list_deliveries(
    request: HttpRequest,
    status: DeliveryStatus | None = None,
    endpoint: str | None = Query(None, max_length=100),
    limit: int = Query(50, ge=1, le=500),
) -> list[dict[str, Any]]:
    """The newest webhook deliveries (administrators only); bodies are not shown."""
    check_can_see_deliveries(request_user(request))
    deliveries = selectors.list_deliveries(
        status=status.value if status else None, endpoint=endpoint
    )[:limit]
    return [
        {
            "id": str(d.uuid),
            "endpoint": d.endpoint.name,
            "event_id": d.event_id,
            "event_type": d.event_type,
            "status": d.status,
            "attempts": d.attempts,
            "last_status_code": d.last_status_code,
            "last_error": d.last_error,
            "next_attempt_at": d.next_attempt_at,
            "created_at": d.created_at,
            "delivered_at": d.delivered_at,
        }
        for d in deliveries
    ]
