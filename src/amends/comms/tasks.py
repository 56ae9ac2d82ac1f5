"""Background jobs of communication: each takes an id and calls one service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from amends.comms import selectors, services
from amends.comms.domain import DELIVERY_ATTEMPTS, EmailStatus
from amends.core import clock


class DeliveryFailedError(Exception):
    """Raised so that Huey retries the delivery later."""


@db_task(retries=DELIVERY_ATTEMPTS - 1, retry_delay=60, retry_backoff=2)
def deliver_email_task(outbound_id: int) -> str:
    email = services.deliver_email(outbound_id=outbound_id, now=clock.now())
    if email.status == EmailStatus.FAILED.value:
        raise DeliveryFailedError(f"email {outbound_id} not sent: {email.last_error}")
    return email.status


@db_task(retries=3, retry_delay=60)
def acknowledge_case_task(case_id: int) -> str:
    """Acknowledge a case by its id (jobs queued before ``acknowledge_created_case_task``)."""
    done = services.acknowledge_case(case_id=case_id, now=clock.now())
    return "" if done is None else type(done).__name__.lower()


@db_task(retries=3, retry_delay=60)
def acknowledge_created_case_task(event_id: int) -> str:
    """Acknowledge the case that a ``case.created`` event logged. The case is found here, in
    the worker, so that logging a case reads nothing more for its acknowledgement."""
    case_id = selectors.case_id_of_event(event_id)
    if case_id is None:
        return ""
    done = services.acknowledge_case(case_id=case_id, now=clock.now())
    return "" if done is None else type(done).__name__.lower()
