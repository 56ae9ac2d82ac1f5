"""Templates, letters, email out and acknowledgements: the use cases that change state.

Import as ``from amends.comms import services as comms_services``.
"""

from amends.comms.services.acknowledge import acknowledge_case
from amends.comms.services.email import (
    deliver_email,
    recipient,
    send_email_again,
    send_email_reply,
)
from amends.comms.services.letters import mark_letter_printed, prepare_letter
from amends.comms.services.templates import (
    TemplateContent,
    find_communication,
    merge_values,
    render_template,
    save_template,
    validate_template,
)

__all__ = [
    "TemplateContent",
    "acknowledge_case",
    "deliver_email",
    "find_communication",
    "mark_letter_printed",
    "merge_values",
    "prepare_letter",
    "recipient",
    "render_template",
    "save_template",
    "send_email_again",
    "send_email_reply",
    "validate_template",
]
