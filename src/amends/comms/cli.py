"""``amends coach``: the reply coach from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _read(path: str) -> str:
    return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")


def cmd_coach(args: argparse.Namespace) -> int:
    from amends.cli import fail
    from amends.comms.coach import check_reply
    from amends.comms.schemas import COACH_MAX_CHARS

    try:
        reply = _read(args.reply)
        customer = _read(args.customer) if args.customer else ""
    except (OSError, UnicodeDecodeError) as error:
        name = getattr(error, "filename", None) or args.reply
        reason = getattr(error, "strerror", None) or "not readable as UTF-8 text"
        return fail(f"cannot read {name}: {reason}", 2)
    if not reply.strip():
        return fail("the reply is empty: write the draft reply to check", 2)
    if len(reply) > COACH_MAX_CHARS or len(customer) > COACH_MAX_CHARS:
        return fail(
            f"the reply and the customer message are limited to {COACH_MAX_CHARS} characters", 2
        )
    report: dict[str, Any] = check_reply(reply, customer).as_dict()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"Score: {report['score']}/100")
    for check in report["checks"]:
        mark = "present" if check["passed"] else "missing"
        if check["id"] in ("plain_language", "no_blame", "tone"):
            mark = "ok" if check["passed"] else "problem"
        print(f"  {check['id']:<17} {mark:<8} {check['advice']}")
        if check["evidence"]:
            print(f"  {'':<17} {'':<8} > {check['evidence']}")
    return 0


def register(commands: Any) -> None:
    coach = commands.add_parser(
        "coach", help="check a draft reply: paraphrase, apology, next steps, tone and more"
    )
    coach.add_argument("--reply", required=True, metavar="FILE", help="the draft ('-': stdin)")
    coach.add_argument("--customer", metavar="FILE", help="the customer's last message")
    coach.add_argument("--json", action="store_true", help="print the report as JSON")
    coach.set_defaults(handler=cmd_coach)
