"""Bring a benchmark database to N cases, fast, by bulk SQL that matches the real schema.

    python bench/seed.py --backend sqlite --cases 100k
    python bench/seed.py --backend postgresql --cases 1m

The database is ``AMENDS_DATABASE_URL`` (default: SQLite under ``var/bench/<backend>``, or the
PostgreSQL database ``amends_bench``), migrated first with the project's own migrations. Teams
and users are made through the services; customers and cases are written in batches with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL), each with its ``*.created`` timeline event,
hash-chained with :func:`amends.core.timeline.chain_hash` (the database's trigger writes each
stream's head as its event goes in). The
reference counters are moved past what was used, in the same transaction as each batch, so the
application carries on cleanly and an interrupted seed can simply be run again.

Seeding is incremental: it adds only the cases (and customers) missing to reach ``--cases``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import texts
from common import BENCH_AGENT, Target, ensure_pg_database, parse_size, target
from loaders import Loader, PostgresLoader, SqliteLoader
from seedgen import FIRST, LAST, TEAM_NAMES, Generator, Person, World


def setup_django(t: Target) -> None:
    os.environ.update(
        AMENDS_DATABASE_URL=t.database_url,
        AMENDS_DATA_DIR=str(t.data_dir),
        AMENDS_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")
    t.data_dir.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


# --- teams and users (through the services: they are few) ----------------------------------------


def ensure_people(teams: int, agents_per_team: int) -> tuple[list[Any], dict[int, list[Person]]]:
    from amends.accounts import selectors, services
    from amends.accounts.models import User
    from amends.core import clock

    now = clock.now()
    team_objs = []
    for name in TEAM_NAMES[:teams]:
        team = selectors.find_team(name) or services.create_team(name=name, actor=None, now=now)
        team_objs.append(team)
    for i, team in enumerate(team_objs):
        for j in range(agents_per_team):
            username = f"agent-{i + 1:02d}-{j + 1:02d}"
            if selectors.find_user(username) is not None:
                continue
            member_of = [team]
            if j % 3 == 0:  # a third of the agents also work in a second team
                member_of.append(team_objs[(i + 1) % len(team_objs)])
            services.create_user(
                username=username,
                role="agent",
                password=None,
                teams=member_of,
                actor=None,
                now=now,
                first_name=FIRST[(i * agents_per_team + j) % len(FIRST)],
                last_name=LAST[(i + j) % len(LAST)],
                email=f"{username}@example.org",
            )
    if selectors.find_user(BENCH_AGENT) is None:
        services.create_user(
            username=BENCH_AGENT,
            role="agent",
            password=None,
            teams=team_objs[:2],
            actor=None,
            now=now,
            first_name="Bench",
            last_name="Agent",
        )
    agents: dict[int, list[Person]] = {}
    for team in team_objs:
        members = User.objects.filter(teams=team, role="agent", is_active=True).order_by("id")
        agents[team.pk] = [Person(u.pk, u.username) for u in members]
    return team_objs, agents


# --- text indexes during a bulk load -----------------------------------------------------------

FTS_TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_case' "
    "AND sql LIKE '%cases_case_fts%'"
)
GIN_INDEXES = (
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case' "
    "AND indexdef ILIKE '%USING gin%'"
)


def suspend_text_indexes(loader: Loader) -> list[tuple[str, str, str]]:
    """Drop what keeps case text searchable (SQLite's FTS triggers, PostgreSQL's GIN indexes),
    remembering each definition; :func:`restore_text_indexes` puts back what the application's
    own ``ensure_objects`` does not."""
    if loader.vendor == "sqlite":
        found = [("sqlite", str(n), str(d)) for n, d in loader.query(FTS_TRIGGERS)]
        statement = "DROP TRIGGER IF EXISTS {}"
    else:
        found = [("postgresql", str(n), str(d)) for n, d in loader.query(GIN_INDEXES)]
        statement = "DROP INDEX IF EXISTS {}"
    for _, name, _ in found:
        loader.execute(statement.format(name))
    loader.commit()
    return found


def restore_text_indexes(suspended: list[tuple[str, str, str]]) -> list[str]:
    from django.db import connection

    restored = []
    with connection.cursor() as cursor:
        for vendor, name, definition in suspended:
            probe = (
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s"
                if vendor == "sqlite"
                else "SELECT 1 FROM pg_indexes WHERE indexname = %s"
            )
            cursor.execute(probe, [name])
            if cursor.fetchone() is None:
                cursor.execute(definition)
                restored.append(name)
        if restored and suspended[0][0] == "sqlite":
            cursor.execute("INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')")
    return restored


# --- the seeding steps -------------------------------------------------------------------------


def _progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-9)
    print(f"  {label}: {done:,}/{total:,} ({rate:,.0f}/s)", flush=True)


def _batches(total: int, size: int) -> Iterable[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def seed(
    t: Target,
    *,
    cases: int,
    customers_per_case: float = 0.25,
    teams: int = 10,
    agents_per_team: int = 8,
    batch: int = 20_000,
    seed_value: int = 2026,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    started = time.monotonic()
    if t.backend == "postgresql":
        ensure_pg_database(t.database_url)
    setup_django(t)
    from django.core.management import call_command
    from django.db import connection

    from amends.cases.models import Case, Category, ComplaintDefinition
    from amends.core.database import ensure_objects
    from amends.customers.models import Customer

    call_command("migrate", interactive=False, verbosity=0)
    team_objs, agents = ensure_people(teams, agents_per_team)
    world = World(
        teams=[(tm.pk, tm.slug) for tm in team_objs],
        agents=agents,
        categories=list(Category.objects.filter(active=True).values_list("id", "slug")),
        definition_id=ComplaintDefinition.objects.get(code="organisation").pk,
    )
    have_cases = Case.objects.count()
    have_customers = Customer.objects.count()
    want_customers = max(math.ceil(cases * customers_per_case), 100)
    new_cases = max(cases - have_cases, 0)
    new_customers = max(want_customers - have_customers, 0)
    log(
        f"{t.backend}: {have_cases:,} cases and {have_customers:,} customers; adding "
        f"{new_cases:,} cases and {new_customers:,} customers"
    )
    samples, source = texts.load_samples()
    log(f"text: {source}")
    settings_db = dict(connection.settings_dict)
    # A fresh seed of a bigger run needs different random choices from the last one.
    rng_seed = seed_value * 1_000_003 + have_cases
    bulk = new_cases > 0 and new_cases >= have_cases  # cheaper to rebuild text indexes after
    connection.close()

    loader: Loader = (
        SqliteLoader(settings_db["NAME"]) if t.backend == "sqlite" else PostgresLoader(settings_db)
    )
    gen = Generator(world, samples, rng_seed, loader.vendor)
    timings: dict[str, float] = {}
    try:
        # Text indexes are cheaper built once after a big load than kept up row by row.
        suspended = suspend_text_indexes(loader) if bulk else []

        step = time.monotonic()
        counter = dict(loader.query("SELECT name, value FROM core_counter"))
        next_customer = int(counter.get("customer", 0)) + 1
        done = 0
        for size in _batches(new_customers, batch):
            rows, events = gen.customers(next_customer, size)
            loader.begin()
            loader.insert(gen.customer_table, rows)
            loader.insert(gen.event_table, events)
            next_customer += size
            loader.set_counter("customer", next_customer - 1)
            loader.commit()
            done += size
            _progress("customers", done, new_customers, step)
        timings["customers_s"] = time.monotonic() - step

        step = time.monotonic()
        world.customers = [
            (int(i), str(r))
            for i, r in loader.query("SELECT id, reference FROM customers_customer")
        ]
        years: dict[int, int] = {
            int(name.split(":")[1]): int(value)
            for name, value in counter.items()
            if name.startswith("case:")
        }
        done = 0
        for size in _batches(new_cases, batch):
            before = dict(years)
            rows, events = gen.cases(size, years)
            loader.begin()
            loader.insert(gen.case_table, rows)
            loader.insert(gen.event_table, events)
            for year, value in years.items():
                if before.get(year) != value:
                    loader.set_counter(f"case:{year}", value)
            loader.commit()
            done += size
            _progress("cases", done, new_cases, step)
        timings["cases_s"] = time.monotonic() - step
    finally:
        loader.close()

    # Text indexes (and the SQLite triggers that keep FTS in step) as the application makes them.
    step = time.monotonic()
    if t.backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
    created = ensure_objects()
    restored = restore_text_indexes(suspended)
    timings["text_index_s"] = time.monotonic() - step
    if created or restored:
        log(f"(re)built {', '.join(created + restored)} in {timings['text_index_s']:.1f}s")

    step = time.monotonic()
    with connection.cursor() as cursor:
        if t.backend == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["analyze_s"] = time.monotonic() - step
    connection.close()

    meta = {
        "backend": t.backend,
        "cases": Case.objects.count(),
        "customers": Customer.objects.count(),
        "customer_numbers": [1, next_customer - 1],
        "teams": [slug for _, slug in world.teams],
        "bench_agent": BENCH_AGENT,
        "bench_agent_teams": [tm.slug for tm in team_objs[:2]],
        "text_source": source,
        "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed_seconds": round(time.monotonic() - started, 1),
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }
    connection.close()
    t.meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    log(f"{t.backend}: {meta['cases']:,} cases in {meta['seed_seconds']}s ({meta['timings']})")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("AMENDS_DATABASE_URL"))
    parser.add_argument("--data-dir", default=os.environ.get("AMENDS_DATA_DIR"))
    parser.add_argument("--cases", type=parse_size, required=True, help="e.g. 10k, 100k, 1m")
    parser.add_argument("--customers-per-case", type=float, default=0.25)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--agents-per-team", type=int, default=8)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    t = target(args.backend, args.database_url, args.data_dir)
    seed(
        t,
        cases=args.cases,
        customers_per_case=args.customers_per_case,
        teams=args.teams,
        agents_per_team=args.agents_per_team,
        batch=args.batch,
        seed_value=args.seed,
        log=lambda line: print(line, flush=True),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
