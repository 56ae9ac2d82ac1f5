"""Acknowledgement of a newly logged case: produced from the active acknowledgement template,
emailed when the customer prefers email (and has an address), otherwise prepared as a letter
to print; then the case moves to acknowledged. Only while the case is still at received (a
handler who acknowledged it by hand, or moved it on, has already been in touch), and once."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction

from amends.accounts import selectors as account_selectors
from amends.cases import selectors as case_selectors
from amends.cases import services as case_services
from amends.cases.domain import Direction, Status, TransitionRequest
from amends.cases.models import Case
from amends.comms import selectors
from amends.comms.domain import Delivery, Purpose, choose_delivery, fill
from amends.comms.models import Letter, OutboundEmail
from amends.comms.services.email import send_email_reply
from amends.comms.services.letters import prepare_letter
from amends.comms.services.templates import merge_values, render_template
from amends.core.errors import NotFoundError, TransitionNotAllowedError
from amends.inbox import selectors as inbox_selectors
from amends.sla import services as sla_services

log = logging.getLogger(__name__)


def _may_answer_automatically(case: Case) -> bool:
    """Not when the email that raised the case asked for no automatic answers, or was held."""
    first = (
        case_selectors.list_interactions(case)
        .filter(direction=Direction.INBOUND.value)
        .exclude(message_id="")
        .values_list("message_id", flat=True)
        .first()
    )
    return first is None or inbox_selectors.may_answer_automatically(first)


@transaction.atomic
def acknowledge_case(*, case_id: int, now: datetime) -> OutboundEmail | Letter | None:
    """Acknowledge the case in the customer's preferred channel and format. None when there is
    nothing to do: no longer at received, already acknowledged in writing, or no template."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFoundError(f"There is no case {case_id}.")
    if case.status != Status.RECEIVED.value or selectors.acknowledgement_sent(case):
        # Someone has already acknowledged or moved the case on by hand.
        return None
    template = selectors.find_acknowledgement_template(case.kind)
    if template is None:
        log.warning("no active acknowledgement template: %s not acknowledged", case.reference)
        return None
    rendered = render_template(template, case, handler=None, now=now)
    customer = case.customer
    delivery = choose_delivery(
        preferred_channel=customer.preferred_channel,
        preferred_format=customer.preferred_format,
        email=customer.email,
        case_channel=case.channel,
    )
    common: dict[str, Any] = {
        "case": case,
        "body": rendered.body,
        "subject": fill(template.subject, merge_values(case, handler=None, now=now)),
        "actor": None,
        "now": now,
        "template": template,
        "communication": template.communication or None,
        "content_items": rendered.content_items,
        "purpose": Purpose.ACKNOWLEDGEMENT.value,
    }
    if delivery is Delivery.EMAIL and not _may_answer_automatically(case):
        log.info(
            "%s: the sender asked for no automatic answers; acknowledge by hand", case.reference
        )
        return None
    sent: OutboundEmail | Letter
    if delivery is Delivery.EMAIL:
        sent = send_email_reply(**common, auto_submitted=True)
    else:
        sent = prepare_letter(**common)
        owners = (
            [case.assignee_id]
            if case.assignee_id
            else account_selectors.team_lead_ids(case.team_id)
        )
        sla_services.notify(
            user_ids=[u for u in owners if u],
            case=case,
            kind="letter_to_print",
            message=f"{case.reference}: an acknowledgement letter is ready to print and post.",
            now=now,
        )
    try:
        case_services.transition_case(
            case=case,
            request=TransitionRequest(to=Status.ACKNOWLEDGED),
            expected_version=case.version,
            actor=None,
            now=now,
        )
    except TransitionNotAllowedError as error:
        log.info("%s not moved to acknowledged: %s", case.reference, error)
    return sent
