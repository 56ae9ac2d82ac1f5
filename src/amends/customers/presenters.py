"""Customer records as each viewer may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amends.accounts.domain import can_see_vulnerability
from amends.customers import selectors
from amends.customers.models import Customer, Vulnerability

if TYPE_CHECKING:
    from amends.accounts.models import User


def customer_brief(customer: Customer, *, vulnerable: bool) -> dict[str, Any]:
    return {
        "reference": customer.reference,
        "kind": customer.kind,
        "name": customer.name,
        "internal": customer.is_internal,
        "vulnerable": vulnerable,
        "adjustments": list(customer.adjustments),
        "preferred_channel": customer.preferred_channel,
        "preferred_format": customer.preferred_format,
    }


def vulnerability_out(vulnerability: Vulnerability, viewer: User) -> dict[str, Any]:
    allowed = can_see_vulnerability(viewer.role_enum)
    return {
        "id": vulnerability.pk,
        "driver": vulnerability.driver,
        "basis": vulnerability.basis,
        "detail": vulnerability.detail if allowed else None,
        "support_needed": vulnerability.support_needed if allowed else None,
        "consent_given_at": vulnerability.consent_given_at,
        "review_on": vulnerability.review_on,
        "recorded_at": vulnerability.recorded_at,
        "ended_at": vulnerability.ended_at,
    }


def customer_detail(customer: Customer, viewer: User) -> dict[str, Any]:
    vulnerabilities = selectors.current_vulnerabilities(customer.pk)
    out = customer_brief(customer, vulnerable=bool(vulnerabilities))
    out.update(
        version=customer.version,
        organisation_name=customer.organisation_name,
        email=customer.email,
        phone=customer.phone,
        address=customer.address,
        postcode=customer.postcode,
        preferred_language=customer.preferred_language,
        adjustments_note=customer.adjustments_note,
        segment=customer.segment,
        external_id=customer.external_id,
        lawful_basis=customer.lawful_basis,
        representatives=selectors.representatives_of(customer.pk),
        vulnerabilities=vulnerabilities if can_see_vulnerability(viewer.role_enum) else None,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )
    return out
