"""A newly logged case is acknowledged from the acknowledgement template in the customer's
preferred channel and format, once, and moves to acknowledged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from amends.cases.domain import Channel, Status
from amends.cases.models import Case
from amends.comms import services
from amends.comms.models import Letter, OutboundEmail, ReplyTemplate
from amends.core.models import Event
from amends.customers.domain import ContactChannel, ContactFormat
from amends.inbox import services as inbox_services
from amends.inbox.domain import Source
from amends.sla.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_auto_acknowledge")]


@pytest.fixture
def _auto_acknowledge() -> Any:
    with override_settings(AMENDS_AUTO_ACKNOWLEDGE=True):
        yield


def logged(make_case: Callable[..., Case], capture: Any, **kwargs: Any) -> Case:
    with capture(execute=True):
        case = make_case(**kwargs)
    case.refresh_from_db()
    return case


def types(case: Case) -> list[str]:
    return list(
        Event.objects.filter(stream=case.stream).order_by("seq").values_list("type", flat=True)
    )


def test_a_customer_who_prefers_email_is_acknowledged_by_email_automatically(
    make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    case = logged(make_case, django_capture_on_commit_callbacks, channel=Channel.WEB_FORM)
    assert case.status == Status.ACKNOWLEDGED and case.acknowledged_at is not None
    email = OutboundEmail.objects.get(case=case)
    assert email.purpose == "acknowledgement" and email.status == "sent"
    [sent] = mail.outbox
    assert sent.message()["Auto-Submitted"] == "auto-generated"
    assert sent.subject == f"We have received your complaint [{case.reference}]"
    assert f"Dear {case.customer.name}," in sent.body
    assert f"Your reference is {case.reference}." in sent.body
    assert "{" not in sent.body
    assert types(case)[-4:] == [
        "case.message_sent",
        "case.email_queued",
        "case.acknowledged",
        "case.email_sent",
    ]


def test_a_phone_case_for_a_customer_preferring_phone_gets_a_letter_to_print(
    make_case: Callable[..., Case],
    make_customer: Callable[..., Any],
    agent: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    customer = make_customer(
        "Sam Jones",
        email="",
        phone="020 7946 0018",
        address="1 High Street\nLeeds",
        postcode="LS1 1AA",
        preferred_channel=ContactChannel.PHONE,
    )
    case = logged(
        make_case, django_capture_on_commit_callbacks, customer=customer, channel=Channel.PHONE
    )
    assert case.status == Status.ACKNOWLEDGED
    letter = Letter.objects.get(case=case)
    assert letter.status == "to_print" and letter.to_name == "Sam Jones"
    assert letter.to_address == "1 High Street\nLeeds\nLS1 1AA"
    assert letter.interaction.channel == "letter" and letter.interaction.direction == "outbound"
    assert not OutboundEmail.objects.exists() and mail.outbox == []
    assert "case.letter_prepared" in types(case)


def test_the_owner_is_told_a_letter_is_waiting_to_be_printed(
    make_case: Callable[..., Case],
    make_customer: Callable[..., Any],
    agent: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    customer = make_customer(preferred_format=ContactFormat.LARGE_PRINT, address="2 Low Road")
    case = logged(make_case, django_capture_on_commit_callbacks, customer=customer, assignee=agent)
    letter = Letter.objects.get(case=case)
    assert letter.format == "large_print"
    note = Notification.objects.get(user=agent, kind="letter_to_print")
    assert case.reference in note.message


def test_acknowledging_twice_sends_one_acknowledgement(
    make_case: Callable[..., Case], now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = logged(make_case, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.acknowledge_case(case_id=case.pk, now=now)
    assert again is None
    assert OutboundEmail.objects.filter(case=case).count() == 1
    assert len(mail.outbox) == 1
    assert types(case).count("case.acknowledged") == 1


def test_a_case_already_acknowledged_by_hand_is_not_acknowledged_again(
    make_case: Callable[..., Case], now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with override_settings(AMENDS_AUTO_ACKNOWLEDGE=False):
        case = make_case(status=Status.ACKNOWLEDGED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.acknowledge_case(case_id=case.pk, now=now) is None
    assert mail.outbox == [] and not OutboundEmail.objects.exists()
    assert types(case).count("case.acknowledged") == 1


def test_without_an_acknowledgement_template_nothing_is_sent(
    make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    ReplyTemplate.objects.filter(purpose="acknowledgement").update(active=False)
    case = logged(make_case, django_capture_on_commit_callbacks)
    assert case.status == Status.RECEIVED and mail.outbox == []


def test_automatic_acknowledgement_can_be_switched_off(
    make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    with override_settings(AMENDS_AUTO_ACKNOWLEDGE=False):
        case = logged(make_case, django_capture_on_commit_callbacks)
    assert case.status == Status.RECEIVED and not OutboundEmail.objects.exists()


RAW = (
    "From: Priya Patel <priya@example.com>\r\n"
    "To: complaints@amends.example\r\n"
    "Subject: Charged twice for October\r\n"
    "Message-ID: <{mid}@mail.example.com>\r\n"
    "Date: Mon, 02 Nov 2026 09:00:00 +0000\r\n"
    "{extra}"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "You took my direct debit twice and I am now overdrawn.\r\n"
)


def test_a_case_raised_by_email_is_acknowledged_in_the_same_thread(
    team: Any, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    raw = RAW.format(mid="first", extra="").encode()
    with django_capture_on_commit_callbacks(execute=True):
        inbound = inbox_services.receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.case is not None
    [ack] = mail.outbox
    assert ack.to == ["priya@example.com"]
    assert ack.message()["In-Reply-To"] == "<first@mail.example.com>"
    assert ack.message()["Auto-Submitted"] == "auto-generated"


def test_a_sender_who_asks_for_no_automatic_answers_gets_none(
    team: Any, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    raw = RAW.format(mid="quiet", extra="X-Auto-Response-Suppress: All\r\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        inbound = inbox_services.receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.case is not None and inbound.no_auto_reply
    assert mail.outbox == [] and not OutboundEmail.objects.exists()
    inbound.case.refresh_from_db()
    assert inbound.case.status == Status.RECEIVED


@pytest.mark.parametrize(
    ("packs", "communication", "phrase"),
    [
        (["fca-disp"], "fca-disp/acknowledgement", "within eight weeks of receiving"),
        (
            ["iso-10002", "housing-ombudsman-2024"],
            "housing-ombudsman-2024/stage1_acknowledgement",
            "Our understanding of your complaint is",
        ),
        (["nhs-england-2009"], "nhs-england-2009/acknowledgement", "talk with you about how"),
    ],
)
def test_the_acknowledgement_a_policy_pack_requires_is_sent_with_its_mandatory_content(
    make_case: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
    packs: list[str],
    communication: str,
    phrase: str,
) -> None:
    with override_settings(AMENDS_POLICY_PACKS=packs):
        case = logged(make_case, django_capture_on_commit_callbacks, channel=Channel.WEB_FORM)
    [sent] = mail.outbox
    assert phrase in sent.body and "{" not in sent.body and "[" not in sent.body.split("\n")[0]
    event = Event.objects.get(stream=case.stream, type="case.message_sent")
    assert event.data["communication"] == communication
    assert event.data["content_items"]  # checked against the pack's mandatory items
    assert case.status == Status.ACKNOWLEDGED


def test_a_query_gets_the_general_acknowledgement_when_the_pack_covers_complaints_only(
    make_case: Callable[..., Case], django_capture_on_commit_callbacks: Any
) -> None:
    from amends.cases.domain import CaseKind

    with override_settings(AMENDS_POLICY_PACKS=["fca-disp"]):
        case = logged(
            make_case,
            django_capture_on_commit_callbacks,
            kind=CaseKind.QUERY,
            channel=Channel.WEB_FORM,
        )
    event = Event.objects.get(stream=case.stream, type="case.message_sent")
    assert "communication" not in event.data
    assert mail.outbox[0].subject == f"We have received your question [{case.reference}]"
