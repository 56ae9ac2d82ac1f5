"""Use cases of resolution; each is one transaction and records its events.

Import as ``from amends.resolution import services as resolution_services``.
"""

from amends.resolution.services.options import (
    add_option,
    choose_option,
    solution_factors,
)
from amends.resolution.services.plans import (
    add_task,
    complete_task,
)
from amends.resolution.services.problems import (
    check_problem_effectiveness,
    create_problem,
    link_case_to_problem,
    plan_problem_actions,
)
from amends.resolution.services.rca import (
    add_cause,
    mark_root,
)
from amends.resolution.services.redress import (
    approve_redress,
    mark_redress_paid,
    propose_redress,
    record_redress_decision,
    redress_limits,
)

__all__ = [
    "add_cause",
    "add_option",
    "add_task",
    "approve_redress",
    "check_problem_effectiveness",
    "choose_option",
    "complete_task",
    "create_problem",
    "link_case_to_problem",
    "mark_redress_paid",
    "mark_root",
    "plan_problem_actions",
    "propose_redress",
    "record_redress_decision",
    "redress_limits",
    "solution_factors",
]
