"""Polling a mailbox over IMAP, for organisations whose mail server cannot deliver to us.

Unseen messages are read without marking them (``BODY.PEEK``), each is received in its own
transaction, and only then is it marked seen: a failure leaves it unseen for the next poll, and
a message read twice is recognised by its Message-ID. With a processed folder, a filed message
is then moved there, so the inbox holds only what is still to be read."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from imap_tools import AND, BaseMailBox, MailBox, MailBoxUnencrypted, MailMessageFlags

from amends.core import clock
from amends.inbox import services
from amends.inbox.domain import InboundStatus, Source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    tls: bool = True
    processed_folder: str = ""  # filed messages move here; empty: they stay, marked seen

    @classmethod
    def from_settings(cls) -> MailboxSettings:
        return cls(
            host=settings.AMENDS_IMAP_HOST,
            port=settings.AMENDS_IMAP_PORT,
            user=settings.AMENDS_IMAP_USER,
            password=settings.AMENDS_IMAP_PASSWORD,
            folder=settings.AMENDS_IMAP_FOLDER,
            tls=settings.AMENDS_IMAP_TLS,
            processed_folder=settings.AMENDS_IMAP_PROCESSED_FOLDER,
        )


@dataclass
class PollResult:
    counts: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    def as_dict(self) -> dict[str, int]:
        return {**self.counts, "failed": self.failed}


def _open(box: MailboxSettings) -> BaseMailBox:
    if box.tls:
        return MailBox(box.host, box.port, timeout=60)
    return MailBoxUnencrypted(box.host, box.port, timeout=60)


def _raw(mailbox: BaseMailBox, uid: str) -> bytes | None:
    status, data = mailbox.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def poll(box: MailboxSettings, *, limit: int = 200) -> PollResult:
    """Receive up to ``limit`` unseen messages from the mailbox; what became of each, counted."""
    result = PollResult()
    with _open(box).login(box.user, box.password, box.folder) as mailbox:
        if box.processed_folder and not mailbox.folder.exists(box.processed_folder):
            mailbox.folder.create(box.processed_folder)
        for uid in mailbox.uids(AND(seen=False))[:limit]:
            raw = _raw(mailbox, uid)
            if raw is None:
                result.failed += 1
                continue
            try:
                inbound = services.receive_email(raw=raw, source=Source.IMAP, now=clock.now())
            except Exception:  # left unseen: the next poll tries again, nothing is lost
                log.exception("could not receive message %s from %s", uid, box.folder)
                result.failed += 1
                continue
            mailbox.flag(uid, MailMessageFlags.SEEN, True)
            if box.processed_folder:
                mailbox.move(uid, box.processed_folder)
            result.add(InboundStatus(inbound.status).value)
    return result
