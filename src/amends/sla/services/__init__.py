"""Clocks on cases: (re)computed inside the transaction of each change that matters, and swept
for warnings and breaches by a background job.

Import as ``from amends.sla import services as sla_services``.
"""

from amends.sla.services.clocks import (
    CLOCK_EVENT_TYPES,
    SERVICE_LEVEL_PACK,
    active_service_levels,
    extend_deadline,
    forget_service_levels,
    new_case_clocks,
    organisation_calendar,
    refresh_clocks,
    save_new_clocks,
    service_levels_for,
)
from amends.sla.services.communications import (
    check_communication,
    communication_choices,
    content_item_choices,
)
from amends.sla.services.sweep import SweepResult, mark_notifications_read, notify, sweep

__all__ = [
    "CLOCK_EVENT_TYPES",
    "SERVICE_LEVEL_PACK",
    "SweepResult",
    "active_service_levels",
    "check_communication",
    "communication_choices",
    "content_item_choices",
    "extend_deadline",
    "forget_service_levels",
    "mark_notifications_read",
    "new_case_clocks",
    "notify",
    "organisation_calendar",
    "refresh_clocks",
    "save_new_clocks",
    "service_levels_for",
    "sweep",
]
