from __future__ import annotations

from contextlib import suppress

from django.db.models import Q, QuerySet

from amends.core.errors import ValidationError
from amends.core.queries import Prepared, one
from amends.customers.domain import (
    AuthorityFacts,
    AuthorityScope,
    normalise_email,
    normalise_phone,
)
from amends.customers.models import Customer, Representative, Vulnerability


def find_customer(reference: str) -> Customer | None:
    return one(Customer.objects.filter(reference=reference.strip().upper()))


def find_customer_by_email(email: str) -> Customer | None:
    try:
        address = normalise_email(email)
    except ValidationError:
        return None
    return Customer.objects.filter(email=address).order_by("id").first()


def search_customers(q: str, phone_region: str = "GB") -> QuerySet[Customer]:
    """Customers matching a reference, email, phone number or part of a name."""
    text = q.strip()
    query = Q(name__icontains=text) | Q(organisation_name__icontains=text)
    query |= Q(reference=text.upper()) | Q(external_id=text)
    if "@" in text:
        query |= Q(email=text.lower())
        with suppress(ValidationError):
            query |= Q(email=normalise_email(text))
    if any(ch.isdigit() for ch in text):
        with suppress(ValidationError):
            query |= Q(phone=normalise_phone(text, phone_region))
    return Customer.objects.filter(query)


def list_customers(q: str | None = None) -> QuerySet[Customer]:
    customers = search_customers(q) if q else Customer.objects.all()
    return customers.order_by("-id")


_CURRENT_VULNERABILITIES: Prepared[Vulnerability] = Prepared(
    lambda customer_id: Vulnerability.objects.filter(
        customer_id=customer_id, ended_at__isnull=True
    ).order_by("id"),
    customer_id=int,
)
_REPRESENTATIVES: Prepared[Representative] = Prepared(
    lambda customer_id: Representative.objects.filter(customer_id=customer_id).order_by("id"),
    customer_id=int,
)


def current_vulnerabilities(customer_id: int) -> list[Vulnerability]:
    """The customer's vulnerability indicators that have not ended, oldest first."""
    return _CURRENT_VULNERABILITIES.all(customer_id=customer_id)


def representatives_of(customer_id: int) -> list[Representative]:
    return _REPRESENTATIVES.all(customer_id=customer_id)


_VULNERABLE_AMONG: Prepared[int] = Prepared(
    lambda ids: (
        Vulnerability.objects.filter(customer_id__in=ids, ended_at__isnull=True)
        .values_list("customer_id", flat=True)
        .distinct()
    ),
    ids=tuple,
)


def vulnerable_customer_ids(customer_ids: list[int]) -> set[int]:
    """Which of these customers have a current vulnerability indicator."""
    return set(_VULNERABLE_AMONG.all(ids=customer_ids))


def page_customers(
    q: str | None, cursor: int | None, limit: int
) -> tuple[list[Customer], int | None]:
    customers = list_customers(q)
    if cursor:
        customers = customers.filter(id__lt=cursor)
    rows = list(customers[: limit + 1])
    next_cursor = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_cursor


def authority_of(representative: Representative) -> AuthorityFacts:
    """The facts ``customers.domain.authority_problem`` judges a representative's authority by."""
    return AuthorityFacts(
        scope=AuthorityScope(representative.scope),
        valid_from=representative.valid_from,
        expires_on=representative.expires_on,
        revoked=representative.revoked_at is not None,
        evidence=representative.authority_evidence,
    )
