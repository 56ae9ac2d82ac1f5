"""What the resolution services share.

Each change is an event on a timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amends.cases.domain import FINISHED, RESOLVED_STATES, Status
from amends.core.errors import ValidationError

if TYPE_CHECKING:
    from amends.cases.models import Case


def _check_open(case: Case) -> None:
    if Status(case.status) in RESOLVED_STATES | FINISHED:
        raise ValidationError(
            f"Case {case.reference} is {case.status}: reopen it to change its root-cause analysis.",
            fields={"case": case.status},
        )
