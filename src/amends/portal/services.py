"""What customers do in the portal: raise a problem, reply, add evidence, withdraw.

Each is one transaction. The customer is never a staff user, so ``actor`` is None and events
that would otherwise say "system" say "customer".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction, Status, TransitionRequest
from amends.customers import selectors as customer_selectors
from amends.customers import services as customer_services
from amends.customers.domain import ContactChannel, ContactDetails, ContactFormat, CustomerKind
from amends.customers.models import Customer
from amends.portal import links
from amends.portal.domain import (
    ProblemDraft,
    check_reply,
    check_withdrawal_reason,
    clean_draft,
    merge_adjustments,
    merge_note,
)
from amends.sla import services as sla_services

if TYPE_CHECKING:
    from amends.cases.models import Case, Interaction

CUSTOMER = "customer"


@dataclass(frozen=True)
class Upload:
    """A file the customer sent: its name as they had it, and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Raised:
    case: Case
    link_sent: bool  # a sign-in link is on its way to the customer's email address


def _details_of(customer: Customer) -> ContactDetails:
    return ContactDetails(
        name=customer.name,
        organisation_name=customer.organisation_name,
        email=customer.email,
        phone=customer.phone,
        address=customer.address,
        postcode=customer.postcode,
        preferred_channel=ContactChannel(customer.preferred_channel),
        preferred_format=ContactFormat(customer.preferred_format),
        preferred_language=customer.preferred_language,
        adjustments=tuple(customer.adjustments),
        adjustments_note=customer.adjustments_note,
        segment=customer.segment,
        external_id=customer.external_id,
    )


def _update_existing(
    customer: Customer, draft: ProblemDraft, *, signed_in: bool, now: datetime
) -> str:
    """Add the adjustments asked for to the customer's record (never dropping one). Contact
    preferences change only for a signed-in customer; otherwise they are returned as a line for
    staff to check, since anyone can type an email address into the form."""
    current = _details_of(customer)
    adjustments = merge_adjustments(customer.adjustments, draft.adjustments)
    note = merge_note(customer.adjustments_note, draft.anything_else)
    changes: dict[str, object] = {"adjustments": adjustments, "adjustments_note": note}
    unverified: list[str] = []
    if signed_in:
        changes["preferred_channel"] = draft.contact_by
        if draft.phone:
            changes["phone"] = draft.phone
        if draft.address:
            changes.update(address=draft.address, postcode=draft.postcode)
    else:
        if draft.contact_by.value != customer.preferred_channel:
            unverified.append(f"prefers contact by {draft.contact_by.value}")
        if draft.phone and draft.phone != customer.phone:
            unverified.append(f"gave the phone number {draft.phone}")
        if draft.address and draft.address != customer.address:
            unverified.append(f"gave the address {draft.address} {draft.postcode}".strip())
        if draft.name != customer.name:
            unverified.append(f"gave the name {draft.name}")
    updated = replace(current, **changes)  # type: ignore[arg-type]
    customer_services.update_contact_details(
        customer=customer,
        details=updated,
        expected_version=customer.version,
        actor=None,
        now=now,
    )
    if not unverified:
        return ""
    return (
        "Raised through the portal without signing in, so the customer record was not changed: "
        f"the person {'; '.join(unverified)}. Check with the customer before updating it."
    )


@transaction.atomic
def raise_problem(
    *,
    draft: ProblemDraft,
    uploads: Sequence[Upload],
    now: datetime,
    signed_in_customer_id: int | None = None,
) -> Raised:
    """Log the customer's problem as a case in the intake team, with their evidence.

    A customer we already know (signed in, or with the same email address) gets the case on
    their record and the adjustments they asked for added to it."""
    draft = clean_draft(draft, settings.AMENDS_PHONE_REGION)
    customer: Customer | None = None
    if signed_in_customer_id is not None:
        customer = Customer.objects.filter(pk=signed_in_customer_id).first()
    if customer is None and draft.email:
        customer = customer_selectors.find_customer_by_email(draft.email)
    staff_note = ""
    if customer is not None:
        signed_in = customer.pk == signed_in_customer_id
        staff_note = _update_existing(customer, draft, signed_in=signed_in, now=now)
        owner: Customer | case_services.NewCustomer = customer
    else:
        owner = case_services.NewCustomer(
            kind=CustomerKind.PERSON,
            details=ContactDetails(
                name=draft.name,
                email=draft.email,
                phone=draft.phone,
                address=draft.address,
                postcode=draft.postcode,
                preferred_channel=draft.contact_by,
                adjustments=draft.adjustments,
                adjustments_note=draft.anything_else,
            ),
        )
    case, message, _ = case_services.log_contact(
        contact=case_services.Contact(
            channel=Channel.PORTAL,
            description=draft.what_happened,
            remedy_sought=draft.what_we_should_do,
            counterpart=draft.email or draft.phone,
        ),
        customer=owner,
        now=now,
    )
    for upload in uploads:
        case_services.add_attachment(
            case=case,
            filename=upload.filename,
            data=upload.data,
            actor=None,
            now=now,
            interaction=message,
        )
    if staff_note:
        case_services.add_note(case=case, body=staff_note, actor=None, now=now)
    link_sent = False
    if case.customer.email and links.may_send_to(case.customer.email):
        links.issue_link(customer=case.customer, now=now)
        link_sent = True
    return Raised(case=case, link_sent=link_sent)


@transaction.atomic
def reply(*, case: Case, body: str, uploads: Sequence[Upload], now: datetime) -> Interaction:
    """The customer's message on their case, with any files; the owner is told."""
    text = check_reply(body)
    message = case_services.record_message(
        case=case,
        direction=Direction.INBOUND,
        channel=Channel.PORTAL,
        body=text,
        actor=None,
        now=now,
        subject=f"Message about {case.reference}",
        counterpart=case.customer.email or case.customer.phone,
    )
    for upload in uploads:
        case_services.add_attachment(
            case=case,
            filename=upload.filename,
            data=upload.data,
            actor=None,
            now=now,
            interaction=message,
        )
    if case.assignee_id:
        sla_services.notify(
            user_ids=[case.assignee_id],
            case=case,
            kind="customer_replied",
            message=f"{case.reference}: the customer sent a message in the portal.",
            now=now,
        )
    return message


@transaction.atomic
def add_evidence(*, case: Case, uploads: Sequence[Upload], now: datetime) -> int:
    """Files the customer adds to their case without a message."""
    for upload in uploads:
        case_services.add_attachment(
            case=case, filename=upload.filename, data=upload.data, actor=None, now=now
        )
    if uploads and case.assignee_id:
        sla_services.notify(
            user_ids=[case.assignee_id],
            case=case,
            kind="customer_replied",
            message=f"{case.reference}: the customer added documents in the portal.",
            now=now,
        )
    return len(uploads)


@transaction.atomic
def withdraw(*, case: Case, reason: str, expected_version: int, now: datetime) -> Case:
    """The customer no longer wants us to deal with the complaint."""
    why = check_withdrawal_reason(reason)
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.WITHDRAWN, reason=why),
        expected_version=expected_version,
        actor=None,
        now=now,
        actor_label=CUSTOMER,
    )
    if case.assignee_id:
        sla_services.notify(
            user_ids=[case.assignee_id],
            case=case,
            kind="withdrawn",
            message=f"{case.reference} was withdrawn by the customer: {why}",
            now=now,
        )
    return case
