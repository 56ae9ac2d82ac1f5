"""Receiving email against the database: each outcome, and what it leaves behind."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import close_old_connections
from django.test import Client

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.domain import Channel, Direction, Status
from amends.cases.models import Attachment, Case, Interaction
from amends.core.models import Event
from amends.customers import services as customer_services
from amends.customers.domain import AuthorityScope, Relationship, RepresentativeDraft
from amends.customers.models import Customer
from amends.inbox import selectors
from amends.inbox.domain import Source
from amends.inbox.models import InboundEmail
from amends.inbox.services import receive_email
from amends.sla.models import Notification

EML = Path(__file__).parent / "eml"
ACK_ID = "ack-101.1730541000@amends.example"


@pytest.fixture(autouse=True)
def _store(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.AMENDS_MAIL_DOMAIN = "amends.example"
    settings.DEFAULT_FROM_EMAIL = "Amends Complaints <complaints@amends.example>"


def eml(name: str) -> bytes:
    return (EML / name).read_bytes()


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def message(
    subject: str, body: str, sender: str = "Priya Patel <priya.patel@example.co.uk>", **headers: str
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "complaints@amends.example"
    msg["Subject"] = subject
    msg["Message-ID"] = headers.pop("Message_ID", f"<{abs(hash((subject, body)))}@example.co.uk>")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


@pytest.fixture
def priya_case(make_case: Callable[..., Case], make_customer: Callable[..., Customer]) -> Case:
    """Priya's open case, with our acknowledgement sent to her by email."""
    priya = make_customer("Priya Patel", email="priya.patel@example.co.uk")
    case = make_case(customer=priya, channel=Channel.EMAIL)
    case_services.record_message(
        case=case,
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        body="We have received your complaint and will reply within 8 weeks.",
        actor=None,
        now=case.received_at,
        subject=f"Your complaint {case.reference} has been received",
        counterpart="priya.patel@example.co.uk",
        message_id=ACK_ID,
    )
    return case


def test_a_new_email_starts_a_case_for_a_new_customer_and_keeps_the_original(
    team: Any, now: datetime, settings: Any
) -> None:
    raw = eml("plain.eml")
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now, envelope_from="bounce@x.test")
    assert inbound.status == "created"
    case = inbound.case
    assert case is not None and case.team == team and case.channel == "email"
    assert case.summary == "Charged twice for my October bill"
    customer = case.customer
    assert (customer.name, customer.email) == ("Priya Patel", "priya.patel@example.co.uk")
    assert customer.preferred_channel == "email"
    first = inbound.interaction
    assert first is not None and first.message_id == "CAF4sd0_8wqJ2Lk1@mail.example.co.uk"
    assert first.counterpart == "priya.patel@example.co.uk"
    assert "07700 900123" not in first.body  # the signature stays in the original only
    assert first.occurred_at.isoformat() == "2026-11-02T09:41:05+00:00"  # the Date header
    with default_storage.open(inbound.storage_name) as fh:
        assert fh.read() == raw
    assert inbound.size == len(raw) and inbound.envelope_from == "bounce@x.test"
    event = Event.objects.get(stream=f"inbox:{inbound.pk}")
    assert event.type == "inbox.email_created"
    assert event.data["case"] == case.reference


def test_a_new_email_from_a_known_address_is_filed_for_that_customer(
    team: Any, make_customer: Callable[..., Customer], now: datetime
) -> None:
    known = make_customer("Priya Patel", email="priya.patel@example.co.uk")
    inbound = receive_email(raw=eml("plain.eml"), source=Source.SMTP, now=now)
    assert inbound.case is not None and inbound.case.customer == known
    assert Customer.objects.count() == 1


def test_a_customer_is_named_after_the_address_when_the_email_gives_no_name(
    team: Any, now: datetime
) -> None:
    raw = message("Refund", "Where is my refund?", sender="sam.carter@example.com")
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.case is not None and inbound.case.customer.name == "sam.carter"


def test_a_reply_is_threaded_by_in_reply_to_with_only_the_new_words(
    priya_case: Case, now: datetime
) -> None:
    later = now + timedelta(days=3)
    inbound = receive_email(raw=eml("outlook_reply.eml"), source=Source.SMTP, now=later)
    assert inbound.status == "threaded" and inbound.case == priya_case
    reply = inbound.interaction
    assert reply is not None and reply.direction == "inbound" and reply.channel == "email"
    assert reply.body.startswith("Thank you. The second payment")
    assert "We have received your complaint" not in reply.body
    assert Case.objects.count() == 1


def test_a_reply_is_threaded_by_references_when_in_reply_to_is_unknown(
    priya_case: Case, now: datetime
) -> None:
    later = now + timedelta(days=4)
    inbound = receive_email(raw=eml("gmail_reply.eml"), source=Source.IMAP, now=later)
    assert inbound.status == "threaded" and inbound.case == priya_case
    assert inbound.interaction is not None
    assert inbound.interaction.body == (
        "Yes, you can call me tomorrow between 2pm and 4pm on 07700 900123."
    )


def test_a_reply_naming_the_case_in_its_subject_is_threaded_when_the_customer_sent_it(
    priya_case: Case, now: datetime
) -> None:
    raw = message(f"Re: {priya_case.reference}", "Any news on my refund?")
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.status == "threaded" and inbound.case == priya_case


def test_a_stranger_naming_a_case_in_the_subject_gets_a_new_case_and_a_note(
    priya_case: Case, now: datetime
) -> None:
    raw = message(
        f"Re: {priya_case.reference}", "Please send me her details.", sender="mallory@example.net"
    )
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.status == "created"
    assert inbound.case is not None and inbound.case != priya_case
    assert not priya_case.interactions.filter(counterpart="mallory@example.net").exists()
    note = inbound.case.interactions.get(kind="note")
    assert priya_case.reference in note.body and "not that case's customer" in note.body


def test_the_same_message_id_delivered_twice_creates_nothing_new(team: Any, now: datetime) -> None:
    first = receive_email(raw=eml("plain.eml"), source=Source.SMTP, now=now)
    counts = (Case.objects.count(), Interaction.objects.count(), Event.objects.count())
    again = receive_email(raw=eml("plain.eml"), source=Source.IMAP, now=now + timedelta(hours=1))
    assert again.pk == first.pk
    assert (Case.objects.count(), Interaction.objects.count(), Event.objects.count()) == counts


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("out_of_office.eml", "auto-reply: Auto-Submitted auto-replied"),
        ("bounce.eml", "bounce: a delivery report"),
        ("bulk.eml", "auto-reply: Precedence bulk"),
    ],
)
def test_automatic_mail_is_kept_and_ignored_never_answered(
    priya_case: Case, now: datetime, name: str, reason: str, django_capture_on_commit_callbacks: Any
) -> None:
    before = Interaction.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive_email(raw=eml(name), source=Source.IMAP, now=now)
    assert (inbound.status, inbound.reason) == ("ignored", reason)
    assert inbound.case is None and inbound.storage_name
    assert Interaction.objects.count() == before
    assert mail.outbox == []
    assert not selectors.may_answer_automatically(inbound.message_id)


def test_our_own_message_coming_back_is_a_loop_and_ignored(team: Any, now: datetime) -> None:
    raw = message(
        "Your complaint", "We have received it.", Message_ID="<x-1.amends@amends.example>"
    )
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.status == "ignored" and inbound.reason.startswith("loop")
    assert Case.objects.count() == 0


@pytest.mark.parametrize("name", ["bad_boundary.eml", "bad_base64.eml", "no_from.eml"])
def test_malformed_mail_is_kept_raw_and_flagged_for_a_person(
    team: Any, now: datetime, name: str
) -> None:
    raw = eml(name)
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.status == "flagged" and inbound.reason.startswith("Malformed")
    assert inbound.case is None and Case.objects.count() == 0
    with default_storage.open(inbound.storage_name) as fh:
        assert fh.read() == raw
    assert list(selectors.list_for_review()) == [inbound]


def test_attachments_are_kept_with_the_message_on_the_case(team: Any, now: datetime) -> None:
    inbound = receive_email(raw=eml("attachment.eml"), source=Source.SMTP, now=now)
    (attachment,) = Attachment.objects.all()
    assert attachment.case == inbound.case and attachment.interaction == inbound.interaction
    assert (attachment.filename, attachment.content_type) == (
        "statement-october.pdf",
        "application/pdf",
    )


def test_a_file_of_a_type_we_do_not_accept_stays_in_the_original_and_a_note_says_so(
    team: Any, now: datetime
) -> None:
    msg = EmailMessage()
    msg["From"] = "sam.carter@example.com"
    msg["Subject"] = "Invoice dispute"
    msg["Message-ID"] = "<exe-1@example.com>"
    msg.set_content("See the attached.")
    msg.add_attachment(
        b"MZ\x90\x00rest", maintype="application", subtype="x-msdownload", filename="invoice.exe"
    )
    inbound = receive_email(raw=msg.as_bytes(), source=Source.SMTP, now=now)
    assert inbound.status == "created" and Attachment.objects.count() == 0
    assert inbound.case is not None
    note = inbound.case.interactions.get(kind="note")
    assert ".exe are not accepted" in note.body


def test_an_attachment_over_the_limit_rejects_the_message_and_stores_nothing(
    team: Any, now: datetime, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive_email(raw=eml("attachment.eml"), source=Source.SMTP, now=now)
    assert inbound.status == "rejected"
    assert "statement-october.pdf is 142 bytes" in inbound.reason
    assert inbound.storage_name == "" and inbound.case is None
    assert (Case.objects.count(), Interaction.objects.count(), Attachment.objects.count()) == (
        0,
        0,
        0,
    )
    assert Customer.objects.count() == 0
    assert stored_files(settings) == []
    assert mail.outbox == []  # over SMTP the sender's own server bounces it


def test_a_refused_email_from_the_mailbox_gets_one_notice_that_cannot_loop(
    team: Any, now: datetime, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive_email(raw=eml("attachment.eml"), source=Source.IMAP, now=now)
    (notice,) = mail.outbox
    assert notice.to == ["priya.patel@example.co.uk"]
    assert "statement-october.pdf is 142 bytes" in notice.body
    assert notice.extra_headers["Auto-Submitted"] == "auto-replied"
    assert notice.extra_headers["In-Reply-To"] == "<CAF4sd0_att1@mail.example.co.uk>"
    inbound.refresh_from_db()
    assert inbound.notice_sent_at == now or inbound.notice_sent_at is not None
    # The notice bouncing back to us is recognised as our own message.
    back = receive_email(raw=notice.message().as_bytes(), source=Source.IMAP, now=now)
    assert back.status == "ignored"
    assert len(mail.outbox) == 1


def test_a_reply_to_a_resolved_case_is_recorded_and_its_owner_told(
    make_case: Callable[..., Case],
    make_customer: Callable[..., Customer],
    agent: User,
    now: datetime,
) -> None:
    priya = make_customer("Priya Patel", email="priya.patel@example.co.uk")
    case = make_case(customer=priya, status=Status.RESOLVED, assignee=agent)
    raw = message(f"Re: {case.reference}", "The refund has still not arrived.")
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.status == "threaded" and inbound.case == case
    case.refresh_from_db()
    assert case.status == "resolved"  # reopening is the handler's decision
    note = Notification.objects.get(user=agent)
    assert case.reference in note.message and "reopen" in note.message


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_message_at_once_make_one_case(team: Any, now: datetime) -> None:
    raw = eml("plain.eml")
    start = threading.Barrier(2)
    results: list[InboundEmail] = []

    def deliver() -> None:
        start.wait()
        try:
            results.append(receive_email(raw=raw, source=Source.SMTP, now=now))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and results[0].pk == results[1].pk
    assert Case.objects.count() == 1 and InboundEmail.objects.count() == 1


def test_staff_download_the_original_of_a_flagged_email_from_the_admin(
    team: Any, now: datetime, make_user: Callable[..., User], agent: User
) -> None:
    raw = eml("bad_boundary.eml")
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    admin = make_user("root", "admin")
    staff = Client()
    staff.force_login(admin)
    listing = staff.get("/admin/inbox/inboundemail/?status__exact=flagged")
    assert listing.status_code == 200 and b"t.nowak@example.pl" in listing.content
    page = staff.get(f"/admin/inbox/inboundemail/{inbound.pk}/change/")
    assert b"Download the original" in page.content
    download = staff.get(f"/admin/inbox/inboundemail/{inbound.pk}/original/")
    assert download.status_code == 200
    assert download["Content-Type"] == "message/rfc822"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == raw
    outsider = Client()
    outsider.force_login(agent)
    assert outsider.get(f"/admin/inbox/inboundemail/{inbound.pk}/original/").status_code == 302


def test_an_email_with_only_a_subject_starts_a_case_with_the_subject_as_its_words(
    team: Any, now: datetime
) -> None:
    raw = (
        b"From: sam.carter@example.com\r\nMessage-ID: <subj-1@example.com>\r\n"
        b"Subject: Please call me about my bill\r\n\r\n"
    )
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert inbound.status == "created"
    assert inbound.interaction is not None
    assert inbound.interaction.body == "Please call me about my bill"


@pytest.mark.parametrize(
    ("expires_in_days", "threaded"), [(30, True), (-1, False)], ids=["current", "expired"]
)
def test_a_subject_reference_counts_from_a_representative_only_while_their_authority_lasts(
    priya_case: Case, now: datetime, expires_in_days: int, threaded: bool
) -> None:
    customer_services.add_representative(
        customer=priya_case.customer,
        draft=RepresentativeDraft(
            name="Ravi Patel",
            relationship=Relationship.FAMILY_MEMBER,
            authority_evidence="Signed third-party authority form",
            scope=AuthorityScope.COMPLAINTS,
            email="ravi@example.net",
            valid_from=now.date() - timedelta(days=60),
            expires_on=now.date() + timedelta(days=expires_in_days),
        ),
        actor=None,
        now=now - timedelta(days=60),
    )
    raw = message(
        f"Re: {priya_case.reference}", "Any news for my mother?", sender="ravi@example.net"
    )
    inbound = receive_email(raw=raw, source=Source.SMTP, now=now)
    assert (inbound.case == priya_case) is threaded
    assert inbound.status == ("threaded" if threaded else "created")
