"""Reading raw email with no database: the .eml corpus under tests/inbox/eml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from amends.inbox import domain
from amends.inbox.domain import InboundStatus, Limits

EML = Path(__file__).parent / "eml"
OURS = {
    "our_domain": "amends.example",
    "our_addresses": ("Complaints <complaints@amends.example>",),
}
LIMITS = Limits(
    message_bytes=100_000,
    attachment_bytes=1_000,
    our_domain="amends.example",
    our_addresses=("complaints@amends.example",),
)


def parse(name: str) -> domain.ParsedEmail:
    return domain.parse((EML / name).read_bytes())


def test_a_plain_email_gives_its_sender_subject_date_and_words_without_the_signature() -> None:
    email = parse("plain.eml")
    assert email.message_id == "CAF4sd0_8wqJ2Lk1@mail.example.co.uk"
    assert not email.message_id_synthesised
    assert email.from_address == "priya.patel@example.co.uk"  # lower-cased
    assert email.from_name == "Priya Patel"
    assert email.subject == "Charged twice for my October bill"
    assert email.date == datetime(2026, 11, 2, 9, 41, 5, tzinfo=UTC)
    assert "charged twice for my October bill" in email.reply_text
    assert email.reply_text.endswith("tell me why this happened.")
    assert "07700 900123" not in email.reply_text  # the signature
    assert "07700 900123" in email.text
    assert email.defects == ()
    assert domain.verdict(email, 2_000, LIMITS) == (None, "")


def test_html_only_email_is_turned_to_text_without_script_style_or_markup() -> None:
    email = parse("html_only.eml")
    assert "nobody came" in email.text
    assert "8am\u20131pm" in email.text  # entities decoded
    assert "compensation for the lost day & a new appointment" in email.text
    for unwanted in ("alert", "<", "color: red", "steal", "tracker"):
        assert unwanted not in email.text
    assert email.from_name == "Daniel O'Brien"


def test_html_to_text_keeps_paragraphs_apart() -> None:
    text = domain.html_to_text("<p>One</p><p>Two<br>Three</p><script>evil()</script>")
    assert text.splitlines() == ["One", "Two", "Three"]


def test_an_outlook_reply_keeps_only_the_new_words() -> None:
    email = parse("outlook_reply.eml")
    assert email.reply_text == (
        "Thank you. The second payment has still not been refunded and my overdraft\n"
        "is now being charged interest."
    )
    assert "We have received your complaint" in email.text
    assert email.in_reply_to == ("ack-101.1730541000@amends.example",)


def test_a_gmail_reply_loses_the_quoted_history_and_the_signature() -> None:
    email = parse("gmail_reply.eml")
    assert email.reply_text == "Yes, you can call me tomorrow between 2pm and 4pm on 07700 900123."
    assert domain.thread_ids(email) == [
        "update-101.1730800000@amends.example",
        "ack-101.1730541000@amends.example",
    ]


def test_an_attachment_is_read_with_its_name_type_and_bytes() -> None:
    email = parse("attachment.eml")
    (item,) = email.attachments
    assert item.filename == "statement-october.pdf"
    assert item.content_type == "application/pdf"
    assert item.data.startswith(b"%PDF-1.4")
    assert email.reply_text == "Attached is my statement. Both payments are highlighted."


def test_an_attachment_over_the_limit_rejects_the_whole_message() -> None:
    email = parse("attachment.eml")
    small = Limits(**{**LIMITS.__dict__, "attachment_bytes": 100})
    status, reason = domain.verdict(email, 1_000, small)
    assert status is InboundStatus.REJECTED
    assert "statement-october.pdf is 142 bytes" in reason


def test_a_message_over_the_size_limit_is_rejected_before_anything_else() -> None:
    status, reason = domain.verdict(parse("plain.eml"), 100_001, LIMITS)
    assert status is InboundStatus.REJECTED
    assert "the limit is 100,000 bytes" in reason


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("out_of_office.eml", "auto-reply: Auto-Submitted auto-replied"),
        ("bounce.eml", "bounce: a delivery report"),
        ("bulk.eml", "auto-reply: Precedence bulk"),
    ],
)
def test_automatic_mail_is_recognised(name: str, reason: str) -> None:
    email = parse(name)
    assert domain.automatic_reason(email, **OURS) == reason  # type: ignore[arg-type]
    assert domain.verdict(email, 1_000, LIMITS) == (InboundStatus.IGNORED, reason)


def _message(**headers: str) -> domain.ParsedEmail:
    msg = EmailMessage()
    msg["From"] = headers.pop("From", "Sam Carter <sam.carter@example.com>")
    msg["To"] = "complaints@amends.example"
    msg["Subject"] = "About my order"
    msg["Message-ID"] = headers.pop("Message_ID", "<abc-1@example.com>")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("My order 5521 never arrived.")
    return domain.parse(msg.as_bytes())


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Auto_Submitted": "auto-generated"}, "auto-reply: Auto-Submitted auto-generated"),
        ({"Auto_Submitted": "auto-notified; owner-email=x@example.com"}, "auto-reply"),
        ({"Precedence": "junk"}, "auto-reply: Precedence junk"),
        ({"Precedence": "list"}, "auto-reply: Precedence list"),
        ({"Precedence": "auto_reply"}, "auto-reply: Precedence auto_reply"),
        ({"X_Autoreply": "yes"}, "auto-reply: X-Autoreply"),
        ({"X_Autorespond": "Out of office"}, "auto-reply: X-Autorespond"),
        ({"From": "postmaster@mx.example.com"}, "bounce: sent by postmaster@mx.example.com"),
        ({"Message_ID": "<ack-9.amends@amends.example>"}, "loop: our own message came back"),
        ({"From": "Amends <complaints@amends.example>"}, "loop: sent from our own address"),
    ],
)
def test_each_sign_of_an_automatic_message_is_recognised(
    headers: dict[str, str], expected: str
) -> None:
    assert domain.automatic_reason(_message(**headers), **OURS).startswith(expected)  # type: ignore[arg-type]


def test_a_person_s_mail_is_not_automatic_even_when_it_says_auto_submitted_no() -> None:
    assert domain.automatic_reason(_message(Auto_Submitted="no"), **OURS) == ""  # type: ignore[arg-type]
    assert domain.automatic_reason(_message(Precedence="first-class"), **OURS) == ""  # type: ignore[arg-type]


def test_auto_response_suppress_marks_a_person_s_mail_as_not_to_be_auto_answered() -> None:
    email = _message(X_Auto_Response_Suppress="All")
    assert domain.automatic_reason(email, **OURS) == ""  # type: ignore[arg-type]
    assert domain.asks_no_auto_reply(email)
    assert not domain.asks_no_auto_reply(_message())


def test_a_missing_message_id_is_synthesised_from_the_bytes_and_stable() -> None:
    raw = (EML / "no_message_id.eml").read_bytes()
    first, again = domain.parse(raw), domain.parse(raw)
    assert first.message_id_synthesised
    assert first.message_id == again.message_id
    assert first.message_id.endswith("@amends.invalid")
    assert domain.parse(raw + b"\nP.S. one more line\n").message_id != first.message_id


@pytest.mark.parametrize(
    ("name", "defect"),
    [
        ("bad_boundary.eml", "StartBoundaryNotFoundDefect"),
        ("bad_base64.eml", "InvalidBase64CharactersDefect"),
        ("no_from.eml", domain.MISSING_FROM),
    ],
)
def test_malformed_mail_is_flagged_with_the_defect(name: str, defect: str) -> None:
    email = parse(name)
    assert defect in domain.serious_defects(email)
    status, reason = domain.verdict(email, 1_000, LIMITS)
    assert status is InboundStatus.FLAGGED
    assert defect in reason


def test_a_declared_non_utf8_charset_is_decoded() -> None:
    email = parse("latin1.eml")
    assert email.text == "I paid £120 for a café voucher that was never delivered."
    assert email.from_name == "Renée Dubois"
    assert email.subject == "Facture à rembourser"
    assert email.defects == ()


def test_an_unknown_charset_is_read_as_far_as_possible_and_flagged() -> None:
    raw = (
        b"From: a.person@example.com\r\nMessage-ID: <cs@example.com>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nHello there\r\n"
    )
    email = domain.parse(raw)
    assert email.text == "Hello there"
    assert any(d.startswith(domain.UNDECODABLE) for d in domain.serious_defects(email))


def test_garbage_never_raises() -> None:
    email = domain.parse(b"\x00\xff\xfe not an email at all \r\n\r\n\x80\x81")
    assert domain.MISSING_FROM in email.defects
    assert email.message_id_synthesised


@pytest.mark.parametrize("sender", [b"someone@", b"Someone <someone@@example..com>", b"<>"])
def test_an_unusable_sender_address_is_flagged_and_never_raises(sender: bytes) -> None:
    raw = b"From: " + sender + b"\r\nMessage-ID: <s@example.com>\r\n\r\nMy order is late.\r\n"
    status, _ = domain.verdict(domain.parse(raw), 1_000, LIMITS)
    assert status is InboundStatus.FLAGGED


@pytest.mark.parametrize(
    ("subject", "reference"),
    [
        ("Re: Your complaint C-2026-000101 has been received", "C-2026-000101"),
        ("RE: [c-2026-000042] update", "C-2026-000042"),
        ("Case C-2026-1234567, again", "C-2026-1234567"),
        ("Order C-2026-00012 (five digits is not a case)", ""),
        ("XC-2026-000101", ""),
        ("", ""),
    ],
)
def test_the_case_reference_is_found_in_a_subject(subject: str, reference: str) -> None:
    assert domain.case_reference(subject) == reference


def test_the_date_header_is_trusted_only_when_plausible() -> None:
    email = parse("plain.eml")
    sent = datetime(2026, 11, 2, 9, 41, 5, tzinfo=UTC)
    week = timedelta(days=7)
    assert domain.received_time(email, sent + timedelta(hours=1), trust=week) == sent
    later = sent + timedelta(days=30)
    assert domain.received_time(email, later, trust=week) == later
    earlier = sent - timedelta(hours=1)  # dated in the future
    assert domain.received_time(email, earlier, trust=week) == earlier


def test_an_email_with_only_a_subject_is_a_message_not_a_defect() -> None:
    raw = b"From: sam.carter@example.com\r\nSubject: Please call me about my bill\r\n\r\n"
    email = domain.parse(raw)
    assert email.text == "" and domain.serious_defects(email) == []


def test_a_message_id_too_long_to_index_gets_a_stable_stand_in() -> None:
    raw = (
        b"From: sam.carter@example.com\r\nMessage-ID: <"
        + b"x" * 600
        + b"@example.com>\r\n\r\nHi\r\n"
    )
    first, again = domain.parse(raw), domain.parse(raw)
    assert first.message_id == again.message_id
    assert len(first.message_id) <= domain.MAX_ID_LENGTH


def test_a_colleagues_message_id_on_our_domain_is_not_taken_for_our_own() -> None:
    colleague = _message(Message_ID="<CAB123.456@amends.example>", From="kim@amends.example")
    assert domain.automatic_reason(colleague, **OURS) == ""  # type: ignore[arg-type]
    assert domain.is_our_message_id("1.2.3.amends@amends.example", "amends.example")
    assert not domain.is_our_message_id("1.2.3.amends@elsewhere.example", "amends.example")
