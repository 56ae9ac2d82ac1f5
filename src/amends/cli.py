"""The ``amends`` command: run the system, manage users and tokens, demo data, audit, import and
export. ``amends --help`` lists the commands; each has its own ``--help``."""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]

# Apps that add their own commands: each module has ``register(commands)``, which adds its
# sub-parsers with ``set_defaults(handler=...)``. Import Django only inside the handlers.
EXTENSIONS: tuple[str, ...] = ("amends.inbox.cli", "amends.comms.cli", "amends.integrations.cli")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    import django

    django.setup()


def fail(message: str, code: int = 1) -> int:
    print(f"amends: {message}", file=sys.stderr)
    return code


# --- run, worker, migrate ---------------------------------------------------------------------


def _unready() -> str | None:
    """Set Django up (a bad configuration fails here, with its message, before anything
    starts) and say why the database is not ready for the server or the worker, if it is not."""
    setup_django()
    from amends.core.database import unmigrated

    return unmigrated()


def cmd_run(args: argparse.Namespace) -> int:
    problem = _unready()
    if problem:
        return fail(problem)
    from granian.constants import Interfaces
    from granian.server import Server

    worker: subprocess.Popen[bytes] | None = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "amends.cli", "worker"])
    # Granian (HTTP in Rust) runs the WSGI application in each worker process on a pool of
    # Python threads: the parsing and writing of requests costs the Python thread nothing.
    server = Server(
        "amends.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=args.threads,
        log_access=args.access_log,
        respawn_failed_workers=True,
        workers_kill_timeout=60,
    )
    print(f"Amends is running at http://{args.host}:{args.port}/ (Ctrl+C stops it)", flush=True)
    try:
        server.serve()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    problem = _unready()
    if problem:
        return fail(problem)
    from django.core.management import call_command

    call_command("run_huey", *(["--no-periodic"] if args.no_periodic else []))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


# --- users and tokens -------------------------------------------------------------------------


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if args.no_password:
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise SystemExit(fail("the passwords differ; nothing was created"))
    return first


def cmd_createuser(args: argparse.Namespace) -> int:
    setup_django()
    from amends.accounts import selectors, services
    from amends.core import clock

    password = _read_password(args)
    now = clock.now()
    teams = []
    for name in args.team or []:
        team = selectors.find_team(name)
        if team is None:
            team = services.create_team(name=name, actor=None, now=now)
            print(f"created team {team.name} ({team.slug})")
        teams.append(team)
    user = services.create_user(
        username=args.name,
        role=args.role,
        password=password,
        teams=teams,
        email=args.email or "",
        actor=None,
        now=now,
    )
    print(f"created user {user.username} ({user.role})")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    setup_django()
    from amends.accounts import selectors, services
    from amends.core import clock

    user = selectors.get_user(args.name)
    _, secret = services.issue_token(
        user=user, name=args.label or "cli", actor=None, now=clock.now()
    )
    print(secret)
    return 0


# --- demo data ---------------------------------------------------------------------------------


def _no_acknowledgements() -> None:
    """Demo and imported cases are history already: writing to their customers now would be
    wrong, so this process does not acknowledge the cases it creates."""
    from django.conf import settings

    settings.AMENDS_AUTO_ACKNOWLEDGE = False


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    _no_acknowledgements()
    from amends.cases.models import Case
    from amends.demo import build_demo

    if args.if_empty and Case.objects.exists():
        print("demo data not loaded: the database already has cases")
        return 0
    summary = build_demo(cases=args.cases, seed=args.seed, today=args.today, quiet=args.quiet)
    print(summary)
    return 0


# --- audit -------------------------------------------------------------------------------------


def cmd_audit_verify(args: argparse.Namespace) -> int:
    setup_django()
    from tqdm import tqdm

    from amends.core import timeline

    checkpoint = None
    if args.checkpoint:
        raw = json.loads(Path(args.checkpoint).read_text())
        checkpoint = {stream: (int(seq), digest) for stream, (seq, digest) in raw["heads"].items()}
    with tqdm(unit=" events", disable=args.quiet or not sys.stderr.isatty()) as bar:

        def advance(n: int) -> None:
            bar.update(n)

        report = timeline.verify(prefix=args.prefix, checkpoint=checkpoint, progress=advance)
    if report.ok:
        print(f"ok: {report.streams} streams, {report.events} events, every chain intact")
        return 0
    for problem in report.problems:
        where = f"event {problem.seq}" if problem.seq is not None else "stream"
        print(f"TAMPERED {problem.stream} {where}: {problem.kind}: {problem.detail}")
    cases = [s.split(":", 1)[1] for s in report.broken_streams if s.startswith("case:")]
    if cases:
        print(f"cases with a broken timeline: {', '.join(cases)}")
    return 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    setup_django()
    from amends.core import clock, timeline

    heads = timeline.checkpoint_heads(args.prefix)
    body = {"taken_at": clock.now().isoformat(), "heads": {k: list(v) for k, v in heads.items()}}
    text = json.dumps(body, indent=None, sort_keys=True)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text)
        print(f"checkpoint of {len(heads)} streams written to {args.output}")
    return 0


# --- import and export -------------------------------------------------------------------------


def cmd_deadlines(args: argparse.Namespace) -> int:
    setup_django()
    from amends.core.errors import AmendsError
    from amends.policies import whatif
    from amends.sla.domain import Nation

    try:
        result = whatif.deadlines(
            pack_id=args.pack,
            received=whatif.parse_time(args.received),
            nation=Nation(args.nation),
            events=[whatif.parse_event(text) for text in args.at],
        )
    except AmendsError as error:
        problems = "; ".join(f"{k}: {', '.join(v)}" for k, v in error.fields.items())
        return fail(f"{error.message}{f' ({problems})' if problems else ''}", 2)
    if args.json:
        print(
            json.dumps(
                {
                    "pack": result["pack"],
                    "deadlines": [
                        {"id": d["id"], "due": d["due"], "basis": d["basis"]}
                        for d in result["deadlines"]
                    ],
                }
            )
        )
        return 0
    print(f"{result['pack']} ({result['nation']})")
    for d in result["deadlines"]:
        print(f"  {d['id']:<28} {d['due'] or 'not started':<12} {d['basis']}")
    return 0


def cmd_remedies(args: argparse.Namespace) -> int:
    from pydantic import ValidationError as PydanticError

    from amends.core.errors import AmendsError
    from amends.resolution.remedies import assess
    from amends.resolution.schemas import FactsIn

    text = Path(args.facts[1:]).read_text() if args.facts.startswith("@") else args.facts
    try:
        facts = FactsIn.model_validate_json(text).to_facts()
        result = assess(facts).as_dict()
    except PydanticError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'facts'}: {e['msg']}" for e in error.errors()
        )
        return fail(f"the facts are not valid: {problems}", 2)
    except AmendsError as error:
        problems = "; ".join(f"{k}: {', '.join(v)}" for k, v in error.fields.items())
        return fail(f"{error.message} {problems}".strip(), 2)
    print(json.dumps(result, indent=2 if args.pretty else None))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    setup_django()
    from amends.cases.io import export_cases

    out = sys.stdout if args.output == "-" else open(args.output, "w", newline="")  # noqa: SIM115
    try:
        count = export_cases(out, fmt=args.format, statuses=args.status or ())
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"exported {count} cases", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    setup_django()
    _no_acknowledgements()
    from amends.cases.io import import_cases

    report = import_cases(
        Path(args.file), fmt=args.format, default_team=args.team, progress=not args.quiet
    )
    for line, reason in report.rejected:
        print(f"line {line}: rejected: {reason}", file=sys.stderr)
    print(f"imported {report.accepted} cases, rejected {len(report.rejected)}")
    return 1 if report.rejected and not report.accepted else 0


# --- the parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amends", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the web server and the background worker")
    run.add_argument("--port", type=int, default=int(os.environ.get("AMENDS_PORT", "8000")))
    run.add_argument("--host", default=os.environ.get("AMENDS_HOST", "127.0.0.1"))
    run.add_argument("--workers", type=int, default=int(os.environ.get("AMENDS_WEB_WORKERS", "2")))
    run.add_argument("--threads", type=int, default=int(os.environ.get("AMENDS_WEB_THREADS", "4")))
    run.add_argument("--no-worker", action="store_true", help="do not start the job worker")
    run.add_argument("--access-log", action="store_true", help="log every request")
    run.set_defaults(handler=cmd_run)

    worker = commands.add_parser("worker", help="run the background job worker alone")
    worker.add_argument(
        "--no-periodic",
        action="store_true",
        help="run queued jobs only; leave timed ones (sweeps, nightly checks) to another worker",
    )
    worker.set_defaults(handler=cmd_worker)

    migrate = commands.add_parser("migrate", help="create or upgrade the database")
    migrate.add_argument("--verbosity", type=int, default=1)
    migrate.set_defaults(handler=cmd_migrate)

    createuser = commands.add_parser("createuser", help="create a user")
    createuser.add_argument("name")
    createuser.add_argument(
        "--role",
        required=True,
        choices=["agent", "team_lead", "complaints_manager", "dpo", "admin", "auditor"],
    )
    createuser.add_argument("--team", action="append", help="team name (repeatable)")
    createuser.add_argument("--email")
    createuser.add_argument("--password-stdin", action="store_true", help="read the password")
    createuser.add_argument("--no-password", action="store_true", help="API-token-only user")
    createuser.set_defaults(handler=cmd_createuser)

    token = commands.add_parser("token", help="print a new API token for a user")
    token.add_argument("name")
    token.add_argument("--label", help="what the token is for")
    token.set_defaults(handler=cmd_token)

    demo = commands.add_parser("demo", help="load realistic demo users, customers and cases")
    demo.add_argument("--cases", type=int, default=120)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--today", help="YYYY-MM-DD the demo is built around (default: today)")
    demo.add_argument("--quiet", action="store_true")
    demo.add_argument("--if-empty", action="store_true", help="only if there are no cases yet")
    demo.set_defaults(handler=cmd_demo)

    audit = commands.add_parser("audit", help="check the timeline's hash chains")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_commands.add_parser("verify", help="recompute every chain; non-zero if broken")
    verify.add_argument("--prefix", help="only streams starting with this, e.g. case:")
    verify.add_argument("--checkpoint", help="a file from 'amends audit checkpoint'")
    verify.add_argument("--quiet", action="store_true")
    verify.set_defaults(handler=cmd_audit_verify)
    checkpoint = audit_commands.add_parser(
        "checkpoint", help="write every stream's head, to keep outside the database"
    )
    checkpoint.add_argument("--output", default="-")
    checkpoint.add_argument("--prefix")
    checkpoint.set_defaults(handler=cmd_audit_checkpoint)

    deadlines = commands.add_parser(
        "deadlines", help="what-if: a policy pack's due dates for a receipt and later events"
    )
    deadlines.add_argument("--pack", required=True, help="a policy pack id, e.g. fca-disp")
    deadlines.add_argument("--received", required=True, help="ISO 8601 with an offset")
    deadlines.add_argument(
        "--nation",
        default="england",
        choices=["england", "wales", "scotland", "northern-ireland"],
        help="whose bank holidays count (default england)",
    )
    deadlines.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="EVENT=ISO8601",
        help="a later event: acknowledged, escalated, escalation_acknowledged, paused, resumed",
    )
    deadlines.add_argument("--json", action="store_true", help="print JSON")
    deadlines.set_defaults(handler=cmd_deadlines)

    remedies = commands.add_parser(
        "remedies", help="Consumer Rights Act 2015 remedies for the facts of a purchase"
    )
    remedies.add_argument(
        "--json",
        dest="facts",
        required=True,
        metavar="FACTS",
        help="the facts as JSON, or @FILE to read them from a file",
    )
    remedies.add_argument("--pretty", action="store_true", help="indent the JSON")
    remedies.set_defaults(handler=cmd_remedies)

    export = commands.add_parser("export", help="export records")
    export_what = export.add_subparsers(dest="what", required=True, metavar="WHAT")
    export_cases = export_what.add_parser("cases", help="every case as CSV or JSON lines")
    export_cases.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    export_cases.add_argument("--output", default="-")
    export_cases.add_argument("--status", action="append", help="only these statuses (or open)")
    export_cases.set_defaults(handler=cmd_export)

    import_ = commands.add_parser("import", help="import records")
    import_what = import_.add_subparsers(dest="what", required=True, metavar="WHAT")
    import_cases = import_what.add_parser("cases", help="cases from CSV or JSON lines")
    import_cases.add_argument("file")
    import_cases.add_argument("--format", choices=["auto", "csv", "jsonl"], default="auto")
    import_cases.add_argument("--team", help="team for rows that name none")
    import_cases.add_argument("--quiet", action="store_true")
    import_cases.set_defaults(handler=cmd_import)

    for module in EXTENSIONS:
        importlib.import_module(module).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from amends.core.errors import AmendsError

        if isinstance(exc, AmendsError):
            details = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
            return fail(f"{exc.message}" + (f" ({details})" if details else ""))
        raise


if __name__ == "__main__":
    sys.exit(main())
