"""Use cases for customer records. Each is one transaction and writes its events.

Events never carry vulnerability detail: the timeline is visible to every role that sees the
customer, the detail only to the roles allowed to see it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from amends.core import timeline
from amends.core.sequences import next_number
from amends.core.versioning import save_if_current
from amends.customers.domain import (
    ContactDetails,
    CustomerKind,
    RepresentativeDraft,
    VulnerabilityDraft,
    check_vulnerability_basis,
    clean_contact,
    clean_representative,
)
from amends.customers.models import Customer, Representative, Vulnerability

if TYPE_CHECKING:
    from amends.accounts.models import User


def customer_stream(customer: Customer) -> str:
    return f"customer:{customer.reference}"


def _contact_fields(details: ContactDetails) -> dict[str, Any]:
    fields = dataclasses.asdict(details)
    fields["preferred_channel"] = details.preferred_channel.value
    fields["preferred_format"] = details.preferred_format.value
    fields["adjustments"] = [a.value for a in details.adjustments]
    return fields


@transaction.atomic
def create_customer(
    *,
    kind: CustomerKind,
    details: ContactDetails,
    actor: User | None,
    now: datetime,
    vulnerabilities: Sequence[VulnerabilityDraft] = (),
    representatives: Sequence[RepresentativeDraft] = (),
    lawful_basis: str | None = None,
) -> Customer:
    clean = clean_contact(details, kind, settings.AMENDS_PHONE_REGION)
    for draft in vulnerabilities:
        check_vulnerability_basis(draft.basis, draft.consent_given)
    reps = [clean_representative(r, settings.AMENDS_PHONE_REGION) for r in representatives]
    reference = f"CU-{next_number('customer'):07d}"
    extra = {"lawful_basis": lawful_basis} if lawful_basis else {}
    customer = Customer.objects.create(
        reference=reference,
        kind=kind.value,
        created_at=now,
        updated_at=now,
        **_contact_fields(clean),
        **extra,
    )
    timeline.record_event(
        stream=customer_stream(customer),
        new_stream=True,
        type="customer.created",
        actor=actor,
        now=now,
        data={"kind": kind, **_contact_fields(clean), "lawful_basis": customer.lawful_basis},
    )
    for draft in vulnerabilities:
        _add_vulnerability(customer, draft, actor, now)
    for rep in reps:
        _add_representative(customer, rep, actor, now)
    return customer


@transaction.atomic
def update_contact_details(
    *,
    customer: Customer,
    details: ContactDetails,
    expected_version: int,
    actor: User | None,
    now: datetime,
) -> Customer:
    clean = clean_contact(details, CustomerKind(customer.kind), settings.AMENDS_PHONE_REGION)
    after = _contact_fields(clean)
    before = {name: getattr(customer, name) for name in after}
    changed = {name: value for name, value in after.items() if before[name] != value}
    if not changed:
        return customer
    save_if_current(customer, expected_version=expected_version, now=now, changes=changed)
    timeline.record_event(
        stream=customer_stream(customer),
        type="customer.updated",
        actor=actor,
        now=now,
        data={"before": {k: before[k] for k in changed}, "after": changed},
    )
    return customer


def _add_vulnerability(
    customer: Customer, draft: VulnerabilityDraft, actor: User | None, now: datetime
) -> Vulnerability:
    vulnerability = Vulnerability.objects.create(
        customer=customer,
        driver=draft.driver.value,
        detail=draft.detail.strip(),
        support_needed=draft.support_needed.strip(),
        basis=draft.basis.value,
        consent_given_at=now if draft.consent_given else None,
        review_on=draft.review_on,
        recorded_at=now,
        recorded_by=actor,
    )
    timeline.record_event(
        stream=customer_stream(customer),
        type="customer.vulnerability_recorded",
        actor=actor,
        now=now,
        data={"id": vulnerability.pk, "driver": draft.driver, "basis": draft.basis},
    )
    return vulnerability


@transaction.atomic
def record_vulnerability(
    *, customer: Customer, draft: VulnerabilityDraft, actor: User | None, now: datetime
) -> Vulnerability:
    check_vulnerability_basis(draft.basis, draft.consent_given)
    return _add_vulnerability(customer, draft, actor, now)


@transaction.atomic
def end_vulnerability(
    *, vulnerability: Vulnerability, reason: str, actor: User | None, now: datetime
) -> None:
    if not Vulnerability.objects.filter(pk=vulnerability.pk, ended_at__isnull=True).update(
        ended_at=now
    ):
        return
    vulnerability.ended_at = now
    timeline.record_event(
        stream=customer_stream(vulnerability.customer),
        type="customer.vulnerability_ended",
        actor=actor,
        now=now,
        data={"id": vulnerability.pk, "driver": vulnerability.driver, "reason": reason},
    )


def _add_representative(
    customer: Customer, rep: RepresentativeDraft, actor: User | None, now: datetime
) -> Representative:
    representative = Representative.objects.create(
        customer=customer,
        name=rep.name,
        relationship=rep.relationship.value,
        organisation_name=rep.organisation_name,
        email=rep.email,
        phone=rep.phone,
        authority_evidence=rep.authority_evidence,
        evidence_verified_at=now if rep.evidence_verified else None,
        scope=rep.scope.value,
        valid_from=rep.valid_from,
        expires_on=rep.expires_on,
        created_at=now,
    )
    timeline.record_event(
        stream=customer_stream(customer),
        type="customer.representative_added",
        actor=actor,
        now=now,
        data={
            "id": representative.pk,
            "name": rep.name,
            "relationship": rep.relationship,
            "scope": rep.scope,
            "valid_from": rep.valid_from,
            "expires_on": rep.expires_on,
            "evidence_verified": rep.evidence_verified,
        },
    )
    return representative


@transaction.atomic
def add_representative(
    *, customer: Customer, draft: RepresentativeDraft, actor: User | None, now: datetime
) -> Representative:
    return _add_representative(
        customer, clean_representative(draft, settings.AMENDS_PHONE_REGION), actor, now
    )


@transaction.atomic
def revoke_representative(
    *, representative: Representative, reason: str, actor: User | None, now: datetime
) -> None:
    if not Representative.objects.filter(pk=representative.pk, revoked_at__isnull=True).update(
        revoked_at=now
    ):
        return
    representative.revoked_at = now
    timeline.record_event(
        stream=customer_stream(representative.customer),
        type="customer.representative_revoked",
        actor=actor,
        now=now,
        data={"id": representative.pk, "reason": reason},
    )
