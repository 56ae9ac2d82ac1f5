"""Email out: queued as the outbound message, sent after commit by a job, threaded, recorded
on the timeline, and retried after a failure without ever being sent twice."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core import mail
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction
from amends.cases.models import Case
from amends.comms import services
from amends.comms.domain import EmailStatus
from amends.comms.models import OutboundEmail
from amends.comms.services.email import deliver_email
from amends.core.errors import PolicyViolationError, ValidationError
from amends.core.models import Event
from amends.customers.domain import ContactChannel

pytestmark = pytest.mark.django_db


def events(case: Case, prefix: str = "case.email") -> list[Event]:
    return list(Event.objects.filter(stream=case.stream, type__startswith=prefix).order_by("seq"))


def test_a_reply_is_queued_then_sent_after_commit_with_threading_headers(
    make_case: Callable[..., Case], agent: Any, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    case_services.record_message(
        case=case,
        direction=Direction.INBOUND,
        channel=Channel.EMAIL,
        subject="Charged twice",
        body="You took my money twice.",
        message_id="<first@customer.example>",
        actor=None,
        now=now,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = services.send_email_reply(
            case=case, body="We are refunding you.", subject="", actor=agent, now=now
        )
    assert email.status == EmailStatus.READY and mail.outbox == []
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1
    [sent] = mail.outbox
    assert sent.subject == f"Re: Charged twice [{case.reference}]"
    assert sent.to == [case.customer.email]
    message = sent.message()
    assert message["Message-ID"] == f"<{email.message_id}>"
    assert email.message_id.endswith("@localhost")
    assert message["In-Reply-To"] == "<first@customer.example>"
    assert message["References"] == "<first@customer.example>"
    assert message["Auto-Submitted"] is None
    assert email.interaction.message_id == email.message_id
    assert email.interaction.channel == "email" and email.interaction.direction == "outbound"
    assert [e.type for e in events(case)] == ["case.email_queued", "case.email_sent"]
    assert events(case)[-1].data["status"] == "sent"


def test_a_later_reply_references_the_whole_thread(
    make_case: Callable[..., Case], agent: Any, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_email_reply(
            case=case, body="First.", subject="About your bill", actor=agent, now=now
        )
        case_services.record_message(
            case=case,
            direction=Direction.INBOUND,
            channel=Channel.EMAIL,
            body="Thanks, but...",
            message_id="reply@customer.example",
            actor=None,
            now=now,
        )
        second = services.send_email_reply(
            case=case, body="Second.", subject="", actor=agent, now=now
        )
    assert second.in_reply_to == "reply@customer.example"
    assert second.references.split() == [first.message_id, "reply@customer.example"]
    assert mail.outbox[1].message()["References"] == (
        f"<{first.message_id}> <reply@customer.example>"
    )


def test_a_customer_without_an_email_address_is_refused(
    make_case: Callable[..., Case], make_customer: Callable[..., Any], agent: Any, now: Any
) -> None:
    case = make_case(
        customer=make_customer(
            "No Email", email="", phone="020 7946 0018", preferred_channel=ContactChannel.PHONE
        )
    )
    with pytest.raises(ValidationError) as caught:
        services.send_email_reply(case=case, body="Hello", subject="", actor=agent, now=now)
    assert "no email address" in caught.value.message
    assert not OutboundEmail.objects.exists()


def test_a_final_response_missing_mandatory_items_is_not_queued(
    make_case: Callable[..., Case], agent: Any, now: Any
) -> None:
    case = make_case()
    with pytest.raises(PolicyViolationError) as caught:
        services.send_email_reply(
            case=case,
            body="Our answer.",
            subject="Final response",
            actor=agent,
            now=now,
            communication="fca-disp/final_response",
            content_items=["outcome_and_reasons"],
        )
    assert "fos_website_address" in caught.value.missing
    assert not OutboundEmail.objects.exists()


def test_a_sent_email_is_not_sent_again(
    make_case: Callable[..., Case], agent: Any, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        email = services.send_email_reply(case=case, body="Hi", subject="", actor=agent, now=now)
    again = deliver_email(outbound_id=email.pk, now=now + timedelta(minutes=1))
    assert again.status == EmailStatus.SENT and again.attempts == 1
    assert len(mail.outbox) == 1
    assert [e.type for e in events(case)] == ["case.email_queued", "case.email_sent"]


class RefuseFirst:
    """An SMTP server that refuses the first message (temporarily) and accepts the rest."""

    def __init__(self) -> None:
        self.seen = 0
        self.accepted: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.seen += 1
        if self.seen == 1:
            return "451 Requested action aborted: try again later"
        self.accepted.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[RefuseFirst, int]]:
    handler = RefuseFirst()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_a_refused_delivery_is_recorded_and_the_queued_retry_sends_it(
    smtp_server: tuple[RefuseFirst, int],
    make_case: Callable[..., Case],
    agent: Any,
    now: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    handler, port = smtp_server
    case = make_case()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=5,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            email = services.send_email_reply(
                case=case, body="Your refund is on its way.", subject="", actor=agent, now=now
            )
        email.refresh_from_db()
        assert email.status == EmailStatus.FAILED and email.attempts == 1
        assert "451" in email.last_error
        failed = events(case)[-1]
        assert failed.type == "case.email_failed"
        assert failed.data["attempt"] == 1 and "451" in failed.data["error"]
        # Huey scheduled the retry (retry_delay); run what is due a little later, as the
        # consumer would.
        later = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=2)
        retries = HUEY.read_schedule(later)
        assert len(retries) == 1
        for task in retries:
            HUEY.execute(task, timestamp=later)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2 and email.last_error == ""
    [accepted] = handler.accepted
    assert accepted.rcpt_tos == [case.customer.email]
    assert f"Message-ID: <{email.message_id}>" in accepted.content.decode()  # type: ignore[union-attr]
    assert [e.type for e in events(case)] == [
        "case.email_queued",
        "case.email_failed",
        "case.email_sent",
    ]


def test_an_unreachable_server_is_a_failure_not_a_crash(
    make_case: Callable[..., Case], agent: Any, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=1,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = services.send_email_reply(case=case, body="Hi", subject="", actor=agent, now=now)
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "refused" in email.last_error.lower()


@pytest.mark.parametrize(
    ("scope", "expires_in_days", "to_representative"),
    [
        ("complaints", 30, True),
        ("complaints", -1, False),  # the authority has expired
    ],
)
def test_we_write_to_the_representative_who_acts_for_the_customer(
    make_case: Callable[..., Case],
    customer: Any,
    agent: Any,
    now: datetime,
    scope: str,
    expires_in_days: int,
    to_representative: bool,
) -> None:
    from amends.customers import services as customer_services
    from amends.customers.domain import AuthorityScope, Relationship, RepresentativeDraft

    rep = customer_services.add_representative(
        customer=customer,
        draft=RepresentativeDraft(
            name="Ravi Patel",
            relationship=Relationship.ADVOCATE,
            authority_evidence="Signed authority form",
            scope=AuthorityScope(scope),
            email="ravi@advocacy.example",
            expires_on=now.date() + timedelta(days=60),
        ),
        actor=None,
        now=now,
    )
    case = make_case(representative=rep)
    later = now + timedelta(days=60 - expires_in_days)  # days left on the authority
    email = services.send_email_reply(
        case=case, body="We are refunding you.", subject="", actor=agent, now=later
    )
    expected = "ravi@advocacy.example" if to_representative else case.customer.email
    assert email.to == expected and email.interaction.counterpart == expected
