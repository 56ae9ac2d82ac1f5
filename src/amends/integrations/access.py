"""Who may pass contacts on from other systems, and who may see webhook deliveries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amends.accounts.domain import can_administer, can_change_case, can_change_customers
from amends.cases import services as case_services
from amends.core.errors import PermissionDeniedError

if TYPE_CHECKING:
    from amends.accounts.models import User


def check_can_take_contacts(user: User) -> None:
    """Intake creates a case in the intake team and perhaps a customer: the caller must be able
    to do both (an agent or lead of the intake team, a complaints manager, an admin)."""
    team = case_services.intake_team()
    if not (
        can_change_customers(user.role_enum)
        and can_change_case(user.role_enum, user.team_ids(), team.pk)
    ):
        raise PermissionDeniedError(
            f"Your role cannot log contacts into {team.name}, the intake team. Use a token of a "
            "user in that team, or of a complaints manager."
        )


def check_can_see_deliveries(user: User) -> None:
    if not can_administer(user.role_enum):
        raise PermissionDeniedError("Only administrators can see webhook deliveries.")
