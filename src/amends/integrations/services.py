"""Use cases of the integrations app: contacts from other systems, webhook endpoints and deliveries.

Import as ``from amends.integrations import services as integration_services``.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction

from amends.cases import services as case_services
from amends.cases.models import Case
from amends.core import timeline
from amends.core.models import Event
from amends.core.queries import one
from amends.integrations import domain
from amends.integrations.domain import AttemptResult, DeliveryStatus
from amends.integrations.models import IntakeLink, WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.cases.models import Interaction
    from amends.customers.models import Customer

log = logging.getLogger(__name__)

ENDPOINT_STREAM = "integrations:webhooks"


# --- intake -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    case: Case
    message: Interaction
    created: bool
    external_reference: str


@transaction.atomic
def receive_contact(
    *,
    contact: case_services.Contact,
    customer: Customer | case_services.NewCustomer,
    actor: User,
    now: datetime,
    external_reference: str = "",
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
) -> Received:
    """A contact another system passes on becomes a case in the intake team (or, with an
    ``idempotency_key`` already used, the case it became the first time)."""
    case, message, created = case_services.log_contact(
        contact=contact,
        customer=customer,
        now=now,
        actor=actor,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
    )
    if created and external_reference:
        IntakeLink.objects.create(
            case=case, source=actor, external_reference=external_reference, created_at=now
        )
    link = one(IntakeLink.objects.filter(case=case))
    return Received(case, message, created, link.external_reference if link else "")


# --- endpoints ----------------------------------------------------------------------------


def http_allowed() -> bool:
    return bool(settings.AMENDS_WEBHOOK_ALLOW_HTTP)


@transaction.atomic
def create_endpoint(
    *, name: str, url: str, events: str, actor: User | None, now: datetime, active: bool = True
) -> WebhookEndpoint:
    """A new receiver, with a freshly generated signing secret."""
    endpoint = WebhookEndpoint.objects.create(
        name=name.strip(),
        url=domain.check_url(url, allow_http=http_allowed()),
        events=",".join(domain.parse_patterns(events)),
        secret=domain.generate_secret(),
        active=active,
        created_at=now,
    )
    _record(endpoint, "webhook.endpoint_created", actor, now)
    return endpoint


@transaction.atomic
def change_endpoint(
    *,
    endpoint: WebhookEndpoint,
    name: str,
    url: str,
    events: str,
    active: bool,
    actor: User | None,
    now: datetime,
) -> WebhookEndpoint:
    endpoint.name = name.strip()
    endpoint.url = domain.check_url(url, allow_http=http_allowed())
    endpoint.events = ",".join(domain.parse_patterns(events))
    endpoint.active = active
    endpoint.save(update_fields=["name", "url", "events", "active"])
    _record(endpoint, "webhook.endpoint_changed", actor, now)
    return endpoint


@transaction.atomic
def rotate_secret(*, endpoint: WebhookEndpoint, actor: User | None, now: datetime) -> str:
    """A new signing secret; deliveries from now on are signed with it."""
    endpoint.secret = domain.generate_secret()
    endpoint.save(update_fields=["secret"])
    _record(endpoint, "webhook.secret_rotated", actor, now)
    return endpoint.secret


def _record(endpoint: WebhookEndpoint, type: str, actor: User | None, now: datetime) -> None:
    timeline.record_event(
        stream=ENDPOINT_STREAM,
        type=type,
        actor=actor,
        now=now,
        data={
            "endpoint": endpoint.pk,
            "name": endpoint.name,
            "url": endpoint.url,
            "events": endpoint.events,
            "active": endpoint.active,
        },
    )


# --- deliveries ---------------------------------------------------------------------------


def _payload(event: Event, case: Case) -> dict[str, object]:
    return domain.case_payload(
        event_id=event.pk,
        event_type=event.type,
        occurred_at=timeline.jsonable(event.occurred_at),
        seq=event.seq,
        reference=case.reference,
        status=case.status,
        kind=case.kind,
        url=f"{settings.AMENDS_BASE_URL.rstrip('/')}/api/v1/cases/{case.reference}",
    )


@transaction.atomic
def queue_deliveries(*, event_id: int, now: datetime) -> list[int]:
    """One pending delivery per active endpoint whose patterns match the event; their ids.

    Safe to call twice for one event: an endpoint gets each event once."""
    event = one(Event.objects.filter(pk=event_id))
    if event is None or not event.stream.startswith("case:"):
        return []
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(active=True)
        if domain.matches(e.events, event.type)
    ]
    if not endpoints:
        return []
    case = one(Case.objects.filter(reference=event.stream.removeprefix("case:")))
    if case is None:
        return []
    payload = _payload(event, case)
    created: list[int] = []
    for endpoint in endpoints:
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    endpoint=endpoint,
                    event_id=event.pk,
                    event_type=event.type,
                    stream=event.stream,
                    payload=payload,
                    created_at=now,
                    next_attempt_at=now,
                )
        except IntegrityError:
            continue  # already queued for this endpoint
        created.append(delivery.pk)
    return created


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: the receiver's address must be right."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> AttemptResult:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return AttemptResult(response.status)
    except urllib.error.HTTPError as exc:
        return AttemptResult(exc.code, f"the receiver answered {exc.code} {exc.reason}"[:500])
    except (urllib.error.URLError, http.client.HTTPException, ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return AttemptResult(None, f"no answer: {reason}"[:500])


def attempt_delivery(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Send a pending delivery once and record what happened; ``None`` if it is not pending.

    The POST happens outside any transaction; the attempt is claimed first, so two workers
    never send the same attempt."""
    delivery = one(WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id))
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    attempts = delivery.attempts + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING.value, attempts=delivery.attempts
    ).update(attempts=attempts)
    if not claimed:
        return None
    endpoint = delivery.endpoint
    body = domain.body_bytes(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Amends-Webhooks/1",
        domain.SIGNATURE_HEADER: domain.sign(endpoint.secret, int(now.timestamp()), body),
        domain.EVENT_HEADER: str(delivery.event_id),
        domain.DELIVERY_HEADER: str(delivery.uuid),
    }
    if endpoint.active:
        result = _post(endpoint.url, body, headers, _timeout())
    else:
        result = AttemptResult(None, "the endpoint was switched off")
    status, next_at = domain.after_attempt(
        result, attempts=attempts, now=now, max_attempts=_max_attempts()
    )
    if not endpoint.active:
        status, next_at = DeliveryStatus.FAILED, None
    delivery.attempts = attempts
    delivery.status = status.value
    delivery.last_status_code = result.status_code
    delivery.last_error = result.error
    delivery.next_attempt_at = next_at
    delivery.delivered_at = now if status == DeliveryStatus.DELIVERED else None
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    if status == DeliveryStatus.FAILED:
        log.warning("webhook delivery %s to %s failed: %s", delivery.pk, endpoint.name, result)
    return delivery


@transaction.atomic
def retry_delivery(*, delivery: WebhookDelivery, now: datetime) -> WebhookDelivery:
    """Put a failed (or delivered) delivery back in the queue, with a fresh set of attempts."""
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.delivered_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    return delivery


def _timeout() -> float:
    return float(settings.AMENDS_WEBHOOK_TIMEOUT)


def _max_attempts() -> int:
    return int(settings.AMENDS_WEBHOOK_MAX_ATTEMPTS)
