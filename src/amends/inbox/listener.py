"""An SMTP (or LMTP) server a mail server delivers to: ``amends mail listen``.

Each message is received in a worker thread (Django's database access is synchronous) and the
answer says what the sending server should do: 250 taken, 552 refused for good (the sender's
server bounces it to them), 451 try again later (nothing was kept, so nothing is lost)."""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connections

from amends.core import clock
from amends.inbox import services
from amends.inbox.domain import InboundStatus, Source

log = logging.getLogger(__name__)

ACCEPTED = "250 2.0.0 Message accepted"
TRY_LATER = "451 4.3.0 Temporary failure; please try again later"
SLACK = 64 * 1024  # the SMTP limit counts the transfer encoding too; the exact check is ours


def deliver(raw: bytes, envelope_from: str, recipients: list[str]) -> str:
    """Receive one message and give the SMTP answer. Runs in a worker thread."""
    close_old_connections()
    try:
        inbound = services.receive_email(
            raw=raw,
            source=Source.SMTP,
            now=clock.now(),
            envelope_from=envelope_from,
            recipients=recipients,
        )
    except Exception:
        log.exception("could not receive a message from %s", envelope_from)
        return TRY_LATER
    finally:
        # Mail arrives seldom: hand the worker thread's connection back rather than keep it
        # open in an idle thread (the database would count it against its limit).
        connections.close_all()
    if inbound.status == InboundStatus.REJECTED.value:
        return f"552 5.3.4 Message too big / attachment over the limit: {inbound.reason}"
    log.info("%s from %s: %s", inbound.status, inbound.from_address, inbound.message_id)
    return ACCEPTED


class Handler:
    def __init__(self, *, lmtp: bool = False) -> None:
        self.lmtp = lmtp

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        answer = await sync_to_async(deliver, thread_sensitive=False)(
            raw, envelope.mail_from or "", list(envelope.rcpt_tos)
        )
        if self.lmtp:  # LMTP answers once for each recipient; the message is stored once
            return "\r\n".join([answer] * max(1, len(envelope.rcpt_tos)))
        return answer


class MailController(Controller):
    def __init__(self, *, host: str, port: int, lmtp: bool = False, **kwargs: Any) -> None:
        self.lmtp = lmtp
        super().__init__(
            Handler(lmtp=lmtp),
            hostname=host,
            port=port,
            data_size_limit=settings.AMENDS_MAIL_MAX_BYTES + SLACK,
            decode_data=False,
            **kwargs,
        )

    def factory(self) -> SMTP:
        if self.lmtp:
            return LMTP(self.handler, **self.SMTP_kwargs)
        return super().factory()
