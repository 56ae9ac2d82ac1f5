"""Permission-checked fetches of customers: the one way entry points get one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from amends.accounts.domain import can_change_customers
from amends.core.errors import NotFoundError, PermissionDeniedError
from amends.core.queries import Prepared
from amends.customers.models import Customer, Vulnerability

if TYPE_CHECKING:
    from amends.accounts.models import User


_CUSTOMER_BY_REFERENCE: Prepared[Customer] = Prepared(
    lambda reference: Customer.objects.filter(reference=reference).annotate(
        currently_vulnerable=Exists(
            Vulnerability.objects.filter(customer=OuterRef("pk"), ended_at__isnull=True)
        )
    )[:1],
    reference=str,
)


def access_customer(user: User, reference: str, *, for_write: bool = False) -> Customer:
    """The customer ``reference``, with ``currently_vulnerable`` (whether any vulnerability
    indicator is current) read in the same statement."""
    customer = _CUSTOMER_BY_REFERENCE.first(reference=reference.strip().upper())
    if customer is None:
        raise NotFoundError(f"No customer {reference!r}.", fields={"customer": "unknown"})
    if for_write and not can_change_customers(user.role_enum):
        raise PermissionDeniedError("Your role cannot change customer records.")
    return customer


def check_can_create_customers(user: User) -> None:
    if not can_change_customers(user.role_enum):
        raise PermissionDeniedError("Your role cannot create customer records.")
