"""Logging a new case, once, completely."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from amends.accounts.domain import can_see_case
from amends.cases import selectors
from amends.cases.domain import CaseDetails, CaseKind, Status, clean_details, make_reference
from amends.cases.models import Case, Category, ComplaintDefinition, IdempotencyKey
from amends.cases.services._common import record
from amends.core import clock, statements
from amends.core.errors import IdempotencyKeyReusedError, ValidationError
from amends.core.sequences import next_number
from amends.customers import selectors as customer_selectors
from amends.customers import services as customer_services
from amends.customers.domain import (
    ContactDetails,
    CustomerKind,
    RepresentativeDraft,
    VulnerabilityDraft,
    authority_problem,
)
from amends.sla import services as sla_services

if TYPE_CHECKING:
    from amends.accounts.models import Team, User
    from amends.customers.models import Customer, Representative

DEFAULT_DEFINITION = "organisation"


@dataclass(frozen=True)
class NewCustomer:
    """A customer to create with the case, in the same transaction."""

    kind: CustomerKind
    details: ContactDetails
    vulnerabilities: Sequence[VulnerabilityDraft] = ()
    representatives: Sequence[RepresentativeDraft] = ()
    lawful_basis: str | None = None


@dataclass(frozen=True)
class Determination:
    """Whether the contact is a complaint: the definition applied and why."""

    definition: str = DEFAULT_DEFINITION  # a ComplaintDefinition code
    rationale: str = ""


def resolve_category(slug: str | None) -> Category | None:
    if not slug:
        return None
    category = selectors.find_category(slug)
    if category is None:
        raise ValidationError(
            f"There is no active category {slug!r}.", fields={"category": "unknown category"}
        )
    return category


def resolve_definition(code: str) -> ComplaintDefinition:
    definition = selectors.find_definition(code)
    if definition is None:
        raise ValidationError(
            f"There is no complaint definition {code!r}.",
            fields={"determination.definition": "unknown definition"},
        )
    return definition


def check_assignee(assignee: User, team: Team) -> None:
    if not assignee.is_active:
        raise ValidationError(
            f"{assignee.username} is not an active user.", fields={"assignee": "inactive user"}
        )
    if not can_see_case(assignee.role_enum, assignee.team_ids(), team.pk):
        raise ValidationError(
            f"{assignee.username} is not in team {team.name} and could not see the case.",
            fields={"assignee": "not a member of the case's team"},
        )


def check_representative(representative: Representative, customer: Customer, now: datetime) -> None:
    if representative.customer_id != customer.pk:
        raise ValidationError(
            "That representative acts for another customer.",
            fields={"representative": "not this customer's representative"},
        )
    problem = authority_problem(
        customer_selectors.authority_of(representative),
        clock.local_date(now),
        to_raise_complaint=True,
    )
    if problem:
        raise ValidationError(
            f"{representative.name} cannot raise a case for this customer: {problem}.",
            fields={"representative": problem},
        )


@transaction.atomic
def create_case(
    *,
    kind: CaseKind,
    details: CaseDetails,
    customer: Customer | NewCustomer,
    team: Team,
    actor: User | None,
    now: datetime,
    received_at: datetime | None = None,
    assignee: User | None = None,
    representative: Representative | None = None,
    determination: Determination | None = None,
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
) -> tuple[Case, bool]:
    """Log a case. Returns the case and whether it was created now.

    With an ``idempotency_key`` already used by the same actor, the first case is returned
    (``False``) when the request is the same, and :class:`IdempotencyKeyReusedError` raised when
    it differs.
    """
    claim: IdempotencyKey | None = None
    if idempotency_key:
        if actor is None:
            raise ValueError("idempotency keys belong to an actor")
        replay = _replay(actor, idempotency_key, request_fingerprint)
        if replay is not None:
            return replay, False
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(
                    user=actor,
                    key=idempotency_key,
                    request_hash=request_fingerprint,
                    created_at=now,
                )
        except IntegrityError:
            # Another request with the key committed first: answer as it did.
            replay = _replay(actor, idempotency_key, request_fingerprint)
            if replay is None:
                raise
            return replay, False

    details = clean_details(details)
    if isinstance(customer, NewCustomer):
        if representative is not None:
            raise ValidationError(
                "A new customer has no representative on record yet.",
                fields={"representative": "add representatives to the new customer instead"},
            )
        customer = customer_services.create_customer(
            kind=customer.kind,
            details=customer.details,
            actor=actor,
            now=now,
            vulnerabilities=customer.vulnerabilities,
            representatives=customer.representatives,
            lawful_basis=customer.lawful_basis,
        )
    category = resolve_category(details.category)
    if not team.handles_cases:
        raise ValidationError(
            f"{team.name} does not handle cases.", fields={"team": "not a case-handling team"}
        )
    if assignee is not None:
        check_assignee(assignee, team)
    if representative is not None:
        check_representative(representative, customer, now)
    determination = determination or Determination()
    definition = resolve_definition(determination.definition)
    received = received_at or now
    if received > now:
        raise ValidationError(
            "A case cannot be received in the future.", fields={"received_at": "in the future"}
        )
    case = Case(
        reference="",
        kind=kind.value,
        category=category,
        channel=details.channel.value,
        journey_stage=details.journey_stage.value if details.journey_stage else "",
        severity=details.severity,
        priority=details.priority.value,
        summary=details.summary,
        description=details.description,
        remedy_sought=details.remedy_sought,
        product=details.product,
        read_back=details.read_back,
        customer=customer,
        representative=representative,
        team=team,
        assignee=assignee,
        status=Status.RECEIVED.value,
        received_at=received,
        determination_definition=definition,
        determination_rationale=determination.rationale.strip(),
        determined_by=actor,
        determined_at=now,
        created_at=now,
        updated_at=now,
    )
    # Work out all that does not need the reference first: from taking a number until commit,
    # the counter's row is locked, and every other case being logged waits for it.
    clocks = sla_services.new_case_clocks(case=case, now=now)
    year = clock.local_date(now).year
    case.reference = make_reference(year, next_number(f"case:{year}"))
    statements.insert(case)
    record(
        case,
        "case.created",
        actor=actor,
        now=now,
        new_stream=True,
        data={
            "kind": kind,
            "category": category.slug if category else None,
            "channel": details.channel,
            "journey_stage": details.journey_stage,
            "severity": details.severity,
            "priority": details.priority,
            "summary": details.summary,
            "description": details.description,
            "remedy_sought": details.remedy_sought,
            "product": details.product,
            "read_back": details.read_back,
            "customer": customer.reference,
            "representative": representative.name if representative else None,
            "team": team.slug,
            "assignee": assignee.username if assignee else None,
            "received_at": received,
            "status": Status.RECEIVED,
            "determination": {
                "definition": definition.code,
                "rationale": case.determination_rationale,
                "is_complaint": kind is CaseKind.COMPLAINT,
            },
        },
    )
    sla_services.save_new_clocks(clocks)
    if claim is not None:
        IdempotencyKey.objects.filter(pk=claim.pk).update(case=case)
    return case, True


def _replay(actor: User, key: str, fingerprint: str) -> Case | None:
    used = IdempotencyKey.objects.filter(user=actor, key=key).select_related("case").first()
    if used is None:
        return None
    if used.request_hash != fingerprint:
        raise IdempotencyKeyReusedError(
            "This Idempotency-Key was already used for a different request. "
            "Use a new key for a new case.",
            fields={"Idempotency-Key": "already used with another request body"},
        )
    return used.case
