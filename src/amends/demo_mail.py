"""Email in the demo data: a new complaint by email, a customer's reply threaded onto their
case, and a damaged email waiting on "Email to review", all through the real mail-in service,
so `make run` shows the conversation features without a mail server."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from amends.cases.models import Case
from amends.inbox.domain import Source
from amends.inbox.services import receive_email

ADDRESS = "complaints@amends.example"


def _email(sender: str, subject: str, body: str, message_id: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def add_demo_mail(*, reply_to: Case | None, seed: int, now: datetime) -> int:
    """Receive the demo emails; returns how many were received."""
    raws = [
        _email(
            "Grace Adeyemi <grace.adeyemi@example.org>",
            "Meter reading ignored again",
            "I sent you a meter reading on 2 November, but my bill is still estimated and "
            "£63 higher than usual. Please correct it and refund the difference.\n\n"
            "Grace Adeyemi\nSent from my phone",
            f"<demo-{seed}-new@example.org>",
        ),
        # Damaged in transit: no sender and a broken attachment. Kept and flagged for a person.
        b"Subject: (no subject)\r\nMessage-ID: <demo-" + str(seed).encode() + b"-damaged@mx>\r\n"
        b'Content-Type: multipart/mixed; boundary="lost"\r\n\r\n--elsewhere\r\nbroken\r\n',
    ]
    if reply_to is not None and reply_to.customer.email:
        raws.append(
            _email(
                f"{reply_to.customer.name} <{reply_to.customer.email}>",
                f"Re: {reply_to.summary} [{reply_to.reference}]",
                "Thank you for the update. Is there any news on when this will be sorted?\n\n"
                f"On Monday, Complaints <{ADDRESS}> wrote:\n> We are looking into it.",
                f"<demo-{seed}-reply@example.net>",
            )
        )
    for raw in raws:
        receive_email(raw=raw, source=Source.SMTP, now=now)
    return len(raws)
