"""``amends mail listen`` (an SMTP/LMTP server to deliver to) and ``amends mail poll`` (read a
mailbox once)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from typing import Any


def cmd_listen(args: argparse.Namespace) -> int:
    from amends.cli import setup_django

    setup_django()
    from django.conf import settings

    from amends.inbox.listener import MailController

    host = args.host or settings.AMENDS_SMTP_LISTEN_HOST
    port = args.port or settings.AMENDS_SMTP_LISTEN_PORT
    controller = MailController(host=host, port=port, lmtp=args.lmtp)
    stop = threading.Event()

    def finish(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    controller.start()
    protocol = "LMTP" if args.lmtp else "SMTP"
    print(f"Amends is taking mail by {protocol} on {host}:{port} (Ctrl+C stops it)", flush=True)
    try:
        stop.wait()
    finally:
        controller.stop()
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    from amends.cli import fail, setup_django

    setup_django()
    from django.conf import settings

    from amends.inbox import imap

    if not settings.AMENDS_IMAP_HOST:
        return fail("no mailbox to poll: set AMENDS_IMAP_HOST (and the other AMENDS_IMAP_*)", 2)
    result = imap.poll(imap.MailboxSettings.from_settings(), limit=args.limit)
    print(json.dumps(result.as_dict(), sort_keys=True))
    return 1 if result.failed else 0


def register(commands: Any) -> None:
    mail = commands.add_parser("mail", help="take in customers' email")
    actions = mail.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    listen = actions.add_parser("listen", help="an SMTP (or LMTP) server for mail to be sent to")
    listen.add_argument("--host", default=os.environ.get("AMENDS_SMTP_LISTEN_HOST"))
    listen.add_argument(
        "--port", type=int, default=None, help="default AMENDS_SMTP_LISTEN_PORT (2525)"
    )
    listen.add_argument("--lmtp", action="store_true", help="speak LMTP (for a local MTA)")
    listen.set_defaults(handler=cmd_listen)
    poll = actions.add_parser("poll", help="read unseen messages from the IMAP mailbox once")
    poll.add_argument("--limit", type=int, default=200, help="at most this many messages")
    poll.set_defaults(handler=cmd_poll)
