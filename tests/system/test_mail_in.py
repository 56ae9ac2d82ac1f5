"""Email in, end to end: real mail sent with smtplib to a running `amends mail listen`, and a
real IMAP mailbox (Dovecot on 127.0.0.1) read by `amends mail poll`.

The listener and the poll run as their own processes against the test database, so these tests
commit (``transactional_db``) and look at what the processes wrote."""

from __future__ import annotations

import imaplib
import os
import smtplib
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from amends.accounts import services as account_services
from amends.accounts.models import Team
from amends.cases.models import Attachment, Case, Interaction
from amends.core import clock
from amends.inbox import imap
from amends.inbox.models import InboundEmail
from amends.inbox.tasks import poll_mailbox_task
from tests.system.mailservers import ImapServer, dovecot, free_port, wait_for_port

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

AMENDS = [sys.executable, "-m", "amends.cli"]
EML = Path(__file__).parents[1] / "inbox" / "eml"
ATTACHMENT_LIMIT = 4_000
OUR_DOMAIN = "amends.example"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _environment(files: Path) -> dict[str, str]:
    """A process that works on the test database, with small limits and its own file store."""
    env = {k: v for k, v in os.environ.items() if k != "AMENDS_TEST_DATABASE_NAME"}
    env.update(
        AMENDS_DATABASE_URL=_database_url(),
        AMENDS_ATTACHMENTS_DIR=str(files),
        AMENDS_ATTACHMENT_MAX_BYTES=str(ATTACHMENT_LIMIT),
        AMENDS_MAIL_DOMAIN=OUR_DOMAIN,
        AMENDS_EMAIL_FROM=f"Complaints <complaints@{OUR_DOMAIN}>",
        AMENDS_HUEY_IMMEDIATE="1",
    )
    return env


@pytest.fixture(autouse=True)
def _same_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.AMENDS_ATTACHMENT_MAX_BYTES = ATTACHMENT_LIMIT
    settings.AMENDS_MAIL_DOMAIN = OUR_DOMAIN
    settings.DEFAULT_FROM_EMAIL = f"Complaints <complaints@{OUR_DOMAIN}>"


@dataclass
class Listener:
    port: int
    files: Path

    def client(self) -> smtplib.SMTP:
        return smtplib.SMTP("127.0.0.1", self.port, timeout=30)

    def send(self, message: EmailMessage) -> None:
        with self.client() as smtp:
            smtp.send_message(message)

    def send_raw(self, raw: bytes, sender: str, to: str = "complaints@amends.example") -> None:
        with self.client() as smtp:  # as a mail server sends it: CRLF line ends
            smtp.sendmail(sender, [to], _crlf(raw))


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _start_listener(tmp_path: Path, *, lmtp: bool = False) -> Iterator[Listener]:
    port = free_port()
    files = tmp_path / "files"
    log = (tmp_path / "listener.log").open("wb")
    process = subprocess.Popen(
        [*AMENDS, "mail", "listen", "--host", "127.0.0.1", "--port", str(port)]
        + (["--lmtp"] if lmtp else []),
        env=_environment(files),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process, "amends mail listen", seconds=60)
        yield Listener(port, files)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    assert process.returncode == 0, (tmp_path / "listener.log").read_text()


@pytest.fixture
def listener(team: Team, tmp_path: Path) -> Iterator[Listener]:
    yield from _start_listener(tmp_path)


def _email(
    subject: str,
    body: str,
    *,
    sender: str = "Priya Patel <priya.patel@example.co.uk>",
    message_id: str,
    **headers: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "complaints@amends.example"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def test_a_new_email_over_smtp_starts_a_case(listener: Listener) -> None:
    listener.send_raw((EML / "plain.eml").read_bytes(), "priya.patel@example.co.uk")
    inbound = InboundEmail.objects.get()
    assert (inbound.status, inbound.source) == ("created", "smtp")
    assert inbound.envelope_from == "priya.patel@example.co.uk"
    assert inbound.envelope_to == "complaints@amends.example"
    case = Case.objects.get()
    assert case.summary == "Charged twice for my October bill"
    assert case.customer.email == "priya.patel@example.co.uk"
    assert (listener.files / inbound.storage_name).read_bytes().startswith(b"Return-Path:")


def test_a_reply_over_smtp_is_threaded_onto_its_case(listener: Listener) -> None:
    listener.send(
        _email("Broken boiler", "My boiler has failed again.", message_id="b-1@example.com")
    )
    case = Case.objects.get()
    reply = _email(
        "Re: Broken boiler",
        "It is still broken.\n\nOn Mon, 2 Nov 2026 at 10:00, Priya wrote:\n> My boiler has failed",
        message_id="b-2@example.com",
        In_Reply_To="<b-1@example.com>",
        References="<b-1@example.com>",
    )
    listener.send(reply)
    assert Case.objects.count() == 1
    second = InboundEmail.objects.get(message_id="b-2@example.com")
    assert second.status == "threaded" and second.case == case
    assert case.interactions.filter(direction="inbound").count() == 2
    assert second.interaction is not None and second.interaction.body == "It is still broken."


def test_the_same_message_delivered_twice_creates_nothing_new(listener: Listener) -> None:
    message = _email("Late refund", "Still waiting for my refund.", message_id="dup-1@example.com")
    listener.send(message)
    listener.send(message)  # the sending server retries after a lost answer: 250 both times
    assert InboundEmail.objects.count() == 1
    assert Case.objects.count() == 1 and Interaction.objects.count() == 1


def test_auto_replies_and_our_own_messages_are_taken_but_never_answered(
    listener: Listener,
) -> None:
    listener.send_raw((EML / "out_of_office.eml").read_bytes(), "priya.patel@example.co.uk")
    own = _email("Your complaint", "We have received it.", message_id=f"ack-9.amends@{OUR_DOMAIN}")
    listener.send(own)
    loop = _email(
        "Re: Your complaint",
        "Thank you for your email. This is an automatic reply.",
        message_id="auto-77@example.com",
        Auto_Submitted="auto-replied",
    )
    listener.send(loop)
    statuses = dict(InboundEmail.objects.values_list("message_id", "reason"))
    assert statuses == {
        "ooo-77812@example.co.uk": "auto-reply: Auto-Submitted auto-replied",
        f"ack-9.amends@{OUR_DOMAIN}": "loop: our own message came back",
        "auto-77@example.com": "auto-reply: Auto-Submitted auto-replied",
    }
    assert set(InboundEmail.objects.values_list("status", flat=True)) == {"ignored"}
    assert not Case.objects.exists() and not Interaction.objects.exists()


def test_an_attachment_over_the_limit_is_refused_in_the_smtp_conversation(
    listener: Listener,
) -> None:
    message = _email("Photos of the damage", "Photos attached.", message_id="big-1@example.com")
    message.add_attachment(
        b"\xff\xd8\xff" + bytes(ATTACHMENT_LIMIT),
        maintype="image",
        subtype="jpeg",
        filename="kitchen.jpg",
    )
    with pytest.raises(smtplib.SMTPDataError) as refused:
        listener.send(message)
    assert refused.value.smtp_code == 552
    assert b"5.3.4" in refused.value.smtp_error and b"kitchen.jpg" in refused.value.smtp_error
    assert not Case.objects.exists() and not Interaction.objects.exists()
    assert not Attachment.objects.exists()
    assert InboundEmail.objects.get().status == "rejected"
    assert not listener.files.exists() or not any(p.is_file() for p in listener.files.rglob("*"))


def test_malformed_mime_is_kept_raw_and_flagged(listener: Listener) -> None:
    raw = (EML / "bad_boundary.eml").read_bytes()
    listener.send_raw(raw, "t.nowak@example.pl")
    inbound = InboundEmail.objects.get()
    assert inbound.status == "flagged" and "StartBoundaryNotFoundDefect" in inbound.reason
    assert not Case.objects.exists()
    assert (listener.files / inbound.storage_name).read_bytes() == _crlf(raw)


def test_lmtp_answers_each_recipient_and_stores_the_message_once(
    team: Team, tmp_path: Path
) -> None:
    message = _email("Refund", "Where is my refund?", message_id="lmtp-1@example.com")
    for server in _start_listener(tmp_path, lmtp=True):
        # RFC 2033: after DATA, one reply per accepted recipient (smtplib reads only one).
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            replies = sock.makefile("rb")
            assert replies.readline().startswith(b"220")
            sock.sendall(b"LHLO mx.example.com\r\n")
            while not replies.readline().startswith(b"250 "):
                pass
            for command in (
                b"MAIL FROM:<priya.patel@example.co.uk>",
                b"RCPT TO:<complaints@amends.example>",
                b"RCPT TO:<team@amends.example>",
            ):
                sock.sendall(command + b"\r\n")
                assert replies.readline().startswith(b"250")
            sock.sendall(b"DATA\r\n")
            assert replies.readline().startswith(b"354")
            sock.sendall(_crlf(message.as_bytes()) + b".\r\n")
            answers = [replies.readline(), replies.readline()]
            sock.sendall(b"QUIT\r\n")
        assert all(a.startswith(b"250 2.0.0") for a in answers), answers
    inbound = InboundEmail.objects.get()
    assert inbound.envelope_to.splitlines() == ["complaints@amends.example", "team@amends.example"]
    assert Case.objects.count() == 1


# --- IMAP -----------------------------------------------------------------------------------


@pytest.fixture
def mailbox() -> Iterator[ImapServer]:
    with dovecot() as server:
        yield server


def _append(server: ImapServer, *messages: bytes) -> None:
    client = imaplib.IMAP4(server.host, server.port)
    try:
        client.login(server.user, server.password)
        for raw in messages:
            status, _ = client.append("INBOX", None, None, _crlf(raw))
            assert status == "OK"
    finally:
        client.logout()


def _unseen(server: ImapServer) -> int:
    client = imaplib.IMAP4(server.host, server.port)
    try:
        client.login(server.user, server.password)
        client.select("INBOX")
        _, data = client.search(None, "UNSEEN")
        return len(data[0].split())
    finally:
        client.logout()


def _box(server: ImapServer) -> imap.MailboxSettings:
    return imap.MailboxSettings(
        host=server.host, port=server.port, user=server.user, password=server.password, tls=False
    )


def test_amends_mail_poll_turns_unseen_mail_into_cases_and_marks_it_seen(
    team: Team, mailbox: ImapServer, tmp_path: Path
) -> None:
    _append(
        mailbox,
        (EML / "plain.eml").read_bytes(),
        (EML / "html_only.eml").read_bytes(),
        (EML / "bulk.eml").read_bytes(),
    )
    env = _environment(tmp_path / "files")
    env.update(
        AMENDS_IMAP_HOST=mailbox.host,
        AMENDS_IMAP_PORT=str(mailbox.port),
        AMENDS_IMAP_USER=mailbox.user,
        AMENDS_IMAP_PASSWORD=mailbox.password,
        AMENDS_IMAP_TLS="0",
    )
    done = subprocess.run(
        [*AMENDS, "mail", "poll"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"created": 2' in done.stdout and '"ignored": 1' in done.stdout
    assert Case.objects.count() == 2
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {"imap"}
    assert _unseen(mailbox) == 0


def test_polling_again_after_a_failure_or_a_redelivery_loses_and_doubles_nothing(
    mailbox: ImapServer,
) -> None:
    # No team to take cases yet: the message cannot be filed and stays unseen.
    _append(mailbox, (EML / "plain.eml").read_bytes())
    first = imap.poll(_box(mailbox))
    assert first.failed == 1 and _unseen(mailbox) == 1
    assert not InboundEmail.objects.exists()

    account_services.create_team(name="Customer Relations", actor=None, now=clock.now())
    second = imap.poll(_box(mailbox))
    assert second.as_dict() == {"created": 1, "failed": 0} and _unseen(mailbox) == 0

    # The same message arrives again (a forward rule, a restored mailbox): nothing new.
    _append(mailbox, (EML / "plain.eml").read_bytes())
    imap.poll(_box(mailbox))
    assert _unseen(mailbox) == 0
    assert InboundEmail.objects.count() == 1 and Case.objects.count() == 1


def test_a_polled_email_over_the_limit_is_refused_and_its_sender_told_once(
    team: Team, mailbox: ImapServer
) -> None:
    message = _email("Photos of the damage", "Photos attached.", message_id="big-2@example.com")
    message.add_attachment(
        b"\xff\xd8\xff" + bytes(ATTACHMENT_LIMIT),
        maintype="image",
        subtype="jpeg",
        filename="kitchen.jpg",
    )
    _append(mailbox, message.as_bytes(), (EML / "bad_base64.eml").read_bytes())
    result = imap.poll(_box(mailbox))
    assert result.as_dict() == {"rejected": 1, "flagged": 1, "failed": 0}
    (notice,) = mail.outbox
    assert notice.to == ["priya.patel@example.co.uk"]
    assert notice.extra_headers["Auto-Submitted"] == "auto-replied"
    assert not Case.objects.exists() and not Attachment.objects.exists()
    flagged = InboundEmail.objects.get(status="flagged")
    assert flagged.storage_name and "InvalidBase64" in flagged.reason


def test_the_worker_polls_the_configured_mailbox_every_minute(
    team: Team, mailbox: ImapServer, settings: Any
) -> None:
    settings.AMENDS_IMAP_HOST = ""
    assert poll_mailbox_task.call_local() == {}  # no mailbox configured: nothing to do
    _append(mailbox, (EML / "attachment.eml").read_bytes())
    settings.AMENDS_IMAP_HOST = mailbox.host
    settings.AMENDS_IMAP_PORT = mailbox.port
    settings.AMENDS_IMAP_USER = mailbox.user
    settings.AMENDS_IMAP_PASSWORD = mailbox.password
    settings.AMENDS_IMAP_TLS = False
    assert poll_mailbox_task.call_local() == {"created": 1, "failed": 0}
    (attachment,) = Attachment.objects.all()
    assert attachment.filename == "statement-october.pdf"
    assert _unseen(mailbox) == 0


def test_filed_mail_moves_to_the_processed_folder(team: Team, mailbox: ImapServer) -> None:
    _append(mailbox, (EML / "plain.eml").read_bytes(), (EML / "bulk.eml").read_bytes())
    box = imap.MailboxSettings(
        host=mailbox.host,
        port=mailbox.port,
        user=mailbox.user,
        password=mailbox.password,
        tls=False,
        processed_folder="Filed by Amends",
    )
    result = imap.poll(box)
    assert result.as_dict() == {"created": 1, "ignored": 1, "failed": 0}
    client = imaplib.IMAP4(mailbox.host, mailbox.port)
    try:
        client.login(mailbox.user, mailbox.password)
        _, inbox = client.select("INBOX")
        _, filed = client.select('"Filed by Amends"')
    finally:
        client.logout()
    assert (int(inbox[0]), int(filed[0])) == (0, 2)
