"""``amends webhook add|list|deliveries``: configure receivers of signed case events."""

from __future__ import annotations

import argparse
import json
from typing import Any


def cmd_add(args: argparse.Namespace) -> int:
    from amends.cli import setup_django

    setup_django()
    from amends.core import clock
    from amends.integrations import services

    endpoint = services.create_endpoint(
        name=args.name, url=args.url, events=args.events, actor=None, now=clock.now()
    )
    # The secret is printed once, alone on stdout, so that a script can capture it.
    print(endpoint.secret)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from amends.cli import setup_django

    setup_django()
    from amends.integrations.models import WebhookEndpoint

    for endpoint in WebhookEndpoint.objects.order_by("name"):
        state = "active" if endpoint.active else "off"
        print(f"{endpoint.name}\t{state}\t{endpoint.events}\t{endpoint.url}")
    return 0


def cmd_deliveries(args: argparse.Namespace) -> int:
    from amends.cli import setup_django

    setup_django()
    from amends.integrations import selectors

    for delivery in selectors.list_deliveries(status=args.status)[: args.limit]:
        row = {
            "id": str(delivery.uuid),
            "endpoint": delivery.endpoint.name,
            "event_type": delivery.event_type,
            "stream": delivery.stream,
            "status": delivery.status,
            "attempts": delivery.attempts,
            "last_status_code": delivery.last_status_code,
            "last_error": delivery.last_error,
        }
        print(json.dumps(row, sort_keys=True))
    return 0


def register(commands: Any) -> None:
    webhook = commands.add_parser("webhook", help="send signed case events to other systems")
    actions = webhook.add_subparsers(dest="webhook_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a receiver; prints its signing secret once")
    add.add_argument("name")
    add.add_argument("url", help="https:// (http:// only to localhost)")
    add.add_argument(
        "--events", default="case.*", help="types, comma separated, or case.* (the default)"
    )
    add.set_defaults(handler=cmd_add)
    listing = actions.add_parser("list", help="the receivers")
    listing.set_defaults(handler=cmd_list)
    deliveries = actions.add_parser("deliveries", help="the newest deliveries, as JSON lines")
    deliveries.add_argument("--status", choices=["pending", "delivered", "failed"])
    deliveries.add_argument("--limit", type=int, default=50)
    deliveries.set_defaults(handler=cmd_deliveries)
