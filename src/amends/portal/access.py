"""The one way the portal fetches a case: only ever the signed-in customer's own."""

from __future__ import annotations

from amends.cases.models import Case
from amends.core.errors import NotFoundError
from amends.core.queries import one


def access_portal_case(customer_id: int, reference: str) -> Case:
    """The case called ``reference`` if it belongs to this customer.

    Another customer's case is "not found", exactly like a reference that does not exist, so
    the answer never tells anyone that a reference is in use."""
    case = one(
        Case.objects.select_related("customer").filter(
            reference=reference.strip().upper(), customer_id=customer_id
        )
    )
    if case is None:
        raise NotFoundError(
            "We cannot find that complaint among yours.", fields={"reference": "unknown"}
        )
    return case
