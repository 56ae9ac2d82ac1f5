from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from huey.contrib.djhuey import HUEY

from amends.accounts.models import Team, User
from amends.cases import services as case_services
from amends.cases.domain import Status, TransitionRequest
from amends.cases.models import Case
from amends.core import clock
from amends.core.errors import ValidationError
from amends.core.models import Event
from amends.integrations import domain, services
from amends.integrations.models import WebhookDelivery, WebhookEndpoint
from amends.integrations.tasks import OVERDUE_SECONDS, send_overdue_webhooks_task
from tests.integrations.conftest import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def endpoint_for(receiver: Receiver, events: str = "case.*", **extra: Any) -> WebhookEndpoint:
    return services.create_endpoint(
        name=extra.pop("name", "crm"),
        url=extra.pop("url", receiver.url),
        events=events,
        actor=None,
        now=clock.now(),
        **extra,
    )


def run_due_retries(at: datetime) -> int:
    """What the consumer's scheduler does: take the tasks due by ``at`` and run them."""
    tasks = HUEY.read_schedule(at)
    for task in tasks:
        HUEY.execute(task, at)
    return len(tasks)


def scheduled_eta() -> datetime:
    (task,) = HUEY.scheduled()
    assert task.name.endswith("deliver_webhook_task")
    eta: datetime = task.eta
    return eta


def test_a_case_event_reaches_a_real_receiver_signed_with_the_endpoints_secret(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    endpoint = endpoint_for(receiver)
    case = make_case()
    (request,) = receiver.requests
    assert request.path == "/hooks/amends"
    assert request.headers["Content-Type"] == "application/json"
    stamp = domain.verify(
        endpoint.secret, request.headers["Amends-Signature"], request.body, time.time()
    )
    assert abs(stamp - time.time()) < 60
    payload = json.loads(request.body)
    event = Event.objects.get(stream=case.stream, seq=1)
    assert payload["event"] == {
        "id": event.pk,
        "type": "case.created",
        "occurred_at": "2026-11-02T10:00:00.000000+00:00",
        "seq": 1,
    }
    assert payload["case"]["reference"] == case.reference
    assert payload["case"]["status"] == "received"
    assert payload["case"]["kind"] == "complaint"
    assert payload["case"]["url"].endswith(f"/api/v1/cases/{case.reference}")
    assert request.headers["Amends-Event"] == str(event.pk)
    delivery = WebhookDelivery.objects.get()
    assert request.headers["Amends-Delivery"] == str(delivery.uuid)
    assert delivery.status == "delivered"
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    assert delivery.delivered_at is not None


def test_a_tampered_delivery_fails_the_receivers_check(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    endpoint = endpoint_for(receiver)
    make_case()
    (request,) = receiver.requests
    with pytest.raises(domain.SignatureError):
        domain.verify(
            endpoint.secret,
            request.headers["Amends-Signature"],
            request.body.replace(b"received", b"resolved"),
            time.time(),
        )
    with pytest.raises(domain.SignatureError):
        domain.verify("whsec_guess", request.headers["Amends-Signature"], request.body, time.time())


def test_the_payload_carries_no_personal_data_or_words(
    receiver: Receiver, api_as: Callable[[User], Any], agent: User, team: Team, settings: Any
) -> None:
    settings.AMENDS_INTAKE_TEAM = team.slug
    endpoint_for(receiver)
    form = {
        "customer": {"name": "Priya Zephyrine", "email": "priya.z@example.com"},
        "what_happened": "My husband died and the account was frozen without warning.",
        "what_they_want": "Unfreeze the joint account.",
        "summary": "Frozen joint account",
    }
    assert api_as(agent).post("/intake", form).status_code == 201
    types = {json.loads(r.body)["event"]["type"] for r in receiver.requests}
    assert {"case.created", "case.message_received"} <= types
    for request in receiver.requests:
        text = request.body.decode()
        for secret in ["Priya", "Zephyrine", "priya.z", "husband", "Unfreeze", "Frozen"]:
            assert secret not in text
        payload = json.loads(text)
        assert set(payload) == {"event", "case"}
        assert set(payload["case"]) == {"reference", "status", "kind", "url"}


def test_a_receiver_answering_500_is_retried_after_the_backoff_and_then_delivered(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    receiver.answers = [500, 200]
    endpoint = endpoint_for(receiver)
    make_case()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert "500" in delivery.last_error
    assert delivery.next_attempt_at is not None
    eta = scheduled_eta()
    assert abs((eta - delivery.next_attempt_at.replace(tzinfo=None)).total_seconds()) < 2
    # Not before its time: a scheduler tick now runs nothing.
    assert run_due_retries(eta - timedelta(seconds=5)) == 0
    assert len(receiver.requests) == 1
    assert run_due_retries(eta) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert HUEY.scheduled() == []
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["Amends-Delivery"] == second.headers["Amends-Delivery"]
    domain.verify(endpoint.secret, second.headers["Amends-Signature"], second.body, time.time())


def test_a_delivery_that_keeps_failing_is_marked_failed_after_the_last_attempt(
    receiver: Receiver, make_case: Callable[..., Case], settings: Any
) -> None:
    settings.AMENDS_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [503]
    endpoint_for(receiver)
    make_case()
    first_eta = scheduled_eta()
    assert run_due_retries(first_eta) == 1
    second_eta = scheduled_eta()
    wait = (second_eta - datetime.now(UTC).replace(tzinfo=None)).total_seconds()
    assert 100 < wait <= 121  # 30 s after the first attempt, 2 minutes after the second
    assert run_due_retries(second_eta) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, 503)
    assert delivery.next_attempt_at is None
    assert HUEY.scheduled() == []
    assert len(receiver.requests) == 3


def test_an_unreachable_receiver_is_retried_with_the_network_error_recorded(
    receiver: Receiver, make_case: Callable[..., Case], settings: Any
) -> None:
    settings.AMENDS_WEBHOOK_TIMEOUT = 2
    endpoint_for(receiver, url="http://127.0.0.1:9/nothing-listens-here")
    make_case()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.last_status_code is None
    assert delivery.last_error.startswith("no answer")
    assert len(HUEY.scheduled()) == 1


def test_a_redirect_is_not_followed_but_counted_as_a_failed_attempt(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    receiver.answers = [307]
    endpoint_for(receiver)
    make_case()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 307)
    assert [r.path for r in receiver.requests] == ["/hooks/amends"]


def test_inactive_endpoints_and_endpoints_for_other_events_get_nothing(
    receiver: Receiver, make_case: Callable[..., Case], agent: User
) -> None:
    endpoint_for(receiver, name="off", active=False)
    endpoint_for(receiver, events="case.acknowledged", name="acks-only")
    case = make_case()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []
    case_services.transition_case(
        case=case,
        request=TransitionRequest(to=Status.ACKNOWLEDGED),
        expected_version=case.version,
        actor=agent,
        now=clock.now(),
    )
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.endpoint.name == "acks-only"
    assert delivery.event_type == "case.acknowledged"
    assert json.loads(receiver.requests[0].body)["case"]["status"] == "acknowledged"


def test_deliveries_are_made_only_after_commit_and_never_for_a_rolled_back_change(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    endpoint_for(receiver)

    def write_then_fail() -> None:
        with transaction.atomic():
            make_case()
            assert Case.objects.count() == 1
            raise RuntimeError("the request failed after the case was written")

    with pytest.raises(RuntimeError, match="request failed"):
        write_then_fail()
    assert Case.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []
    with transaction.atomic():
        make_case()
        assert WebhookDelivery.objects.count() == 0  # not yet: nothing is committed
        assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_an_endpoint_gets_each_event_once(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    endpoint_for(receiver)
    case = make_case()
    event = Event.objects.get(stream=case.stream, seq=1)
    assert services.queue_deliveries(event_id=event.pk, now=clock.now()) == []
    assert WebhookDelivery.objects.count() == 1


def test_the_overdue_sweep_sends_a_delivery_whose_queued_retry_was_lost(
    receiver: Receiver, make_case: Callable[..., Case]
) -> None:
    receiver.answers = [500, 200]
    endpoint_for(receiver)
    make_case()
    HUEY.storage.flush_schedule()  # the worker restarted and lost its in-memory schedule
    delivery = WebhookDelivery.objects.get()
    assert send_overdue_webhooks_task.call_local() == 0  # not yet overdue
    late = clock.now() - timedelta(seconds=OVERDUE_SECONDS + 60)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=late)
    assert send_overdue_webhooks_task.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert len(receiver.requests) == 2


def test_a_failed_delivery_can_be_sent_again_from_the_admin(
    receiver: Receiver, make_case: Callable[..., Case], make_user: Callable[..., User]
) -> None:
    receiver.answers = [404, 200]
    endpoint_for(receiver)
    make_case()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", next_attempt_at=None)
    HUEY.storage.flush_schedule()
    admin = Client()
    admin.force_login(make_user("ada", "admin"))
    listing = admin.get("/admin/integrations/webhookdelivery/")
    assert listing.status_code == 200
    response = admin.post(
        "/admin/integrations/webhookdelivery/",
        {"action": "retry", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver.requests) == 2


def test_an_endpoint_made_in_the_admin_gets_a_secret_shown_once(
    make_user: Callable[..., User], receiver: Receiver
) -> None:
    admin = Client()
    admin.force_login(make_user("ada", "admin"))
    response = admin.post(
        "/admin/integrations/webhookendpoint/add/",
        {"name": "crm", "url": receiver.url, "events": "case.created, case.closed", "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == "case.created,case.closed"
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    page = admin.get(f"/admin/integrations/webhookendpoint/{endpoint.pk}/change/")
    assert endpoint.secret not in page.content.decode()
    refused = admin.post(
        "/admin/integrations/webhookendpoint/add/",
        {"name": "plain", "url": "http://hooks.example.com/x", "events": "case.*"},
    )
    assert refused.status_code == 200
    assert "HTTPS" in refused.content.decode()
    assert WebhookEndpoint.objects.count() == 1


def test_endpoint_changes_are_on_the_timeline_without_the_secret(receiver: Receiver) -> None:
    endpoint = endpoint_for(receiver)
    services.rotate_secret(endpoint=endpoint, actor=None, now=clock.now())
    events = list(Event.objects.filter(stream=services.ENDPOINT_STREAM).order_by("seq"))
    assert [e.type for e in events] == ["webhook.endpoint_created", "webhook.secret_rotated"]
    assert all(endpoint.secret not in json.dumps(e.data) for e in events)


def test_plain_http_to_another_host_is_refused_unless_allowed(
    receiver: Receiver, settings: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        endpoint_for(receiver, url="http://hooks.example.com/amends")
    assert "url" in caught.value.fields
    settings.AMENDS_WEBHOOK_ALLOW_HTTP = True
    assert endpoint_for(receiver, url="http://hooks.example.com/amends").url.startswith("http:")


def test_only_administrators_list_deliveries(
    receiver: Receiver,
    make_case: Callable[..., Case],
    api_as: Callable[[User], Any],
    agent: User,
    make_user: Callable[..., User],
) -> None:
    receiver.answers = [500]
    endpoint_for(receiver)
    make_case()
    refused = api_as(agent).get("/webhooks/deliveries")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    rows = api_as(make_user("ada", "admin")).get("/webhooks/deliveries", status="pending").json()
    assert [(r["event_type"], r["attempts"], r["last_status_code"]) for r in rows] == [
        ("case.created", 1, 500)
    ]
    assert "payload" not in rows[0]
