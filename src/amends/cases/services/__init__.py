"""Use cases that change cases. Each is one transaction and records its events.

Import as ``from amends.cases import services as case_services``.
"""

from amends.cases.services._common import ensure_current
from amends.cases.services.contact import Contact, intake_team, log_contact
from amends.cases.services.details import (
    add_stakeholder,
    assign_case,
    link_cases,
    remove_stakeholder,
    unlink_cases,
    update_case_details,
)
from amends.cases.services.filters import delete_filter, save_filter
from amends.cases.services.intake import Determination, NewCustomer, create_case
from amends.cases.services.interactions import (
    add_attachment,
    add_note,
    record_message,
)
from amends.cases.services.lifecycle import change_kind, record_follow_up_attempt, transition_case

__all__ = [
    "Contact",
    "Determination",
    "NewCustomer",
    "add_attachment",
    "add_note",
    "add_stakeholder",
    "assign_case",
    "change_kind",
    "create_case",
    "delete_filter",
    "ensure_current",
    "intake_team",
    "link_cases",
    "log_contact",
    "record_follow_up_attempt",
    "record_message",
    "remove_stakeholder",
    "save_filter",
    "transition_case",
    "unlink_cases",
    "update_case_details",
]
