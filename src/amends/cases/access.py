"""Permission-checked fetches of cases: the one way a view, API or task gets a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amends.accounts.domain import can_change_case, can_see_case
from amends.cases.models import Case
from amends.core.errors import NotFoundError, PermissionDeniedError
from amends.core.queries import Prepared

if TYPE_CHECKING:
    from amends.accounts.models import User


# Every request about a case starts here.
_CASE_BY_REFERENCE: Prepared[Case] = Prepared(
    lambda reference: Case.objects.select_related(
        "customer", "team", "assignee", "category"
    ).filter(reference=reference)[:1],
    reference=str,
)


def access_case(user: User, reference: str, *, for_write: bool = False) -> Case:
    """The case called ``reference`` if ``user`` may see it (and change it, ``for_write``).

    Unknown references are ``not_found``; cases outside the user's teams are ``forbidden``.
    """
    case = _CASE_BY_REFERENCE.first(reference=reference.strip().upper())
    if case is None:
        raise NotFoundError(f"There is no case {reference!r}.", fields={"reference": "unknown"})
    role, teams = user.role_enum, user.team_ids()
    if not can_see_case(role, teams, case.team_id):
        raise PermissionDeniedError(f"You do not have access to case {case.reference}.")
    if for_write and not can_change_case(role, teams, case.team_id):
        raise PermissionDeniedError(f"Your role cannot change case {case.reference}.")
    return case
