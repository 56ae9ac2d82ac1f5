"""Clocks at scale: deadline computation rate, and the breach sweep over a million open cases.

    python bench/clocks_bench.py --backend sqlite --cases 1m            # after bench/seed.py
    python bench/clocks_bench.py --compute-only --cases 1m               # no database needed

a. **Computation**: every deadline of the FCA, Housing Ombudsman and GDPR packs for N synthetic
   cases (receipt times spread over two years, half of them acknowledged, a tenth escalated, a
   tenth paused and resumed), on the England calendar: case-deadlines per second (one process).
b. **Sweep**: gives every seeded case a running clock (bulk SQL, one per case, due dates spread
   over the coming weeks), makes ``--breaches`` of them due yesterday, then times
   ``amends.sla.services.sweep``: finding the due clocks among all running ones, and claiming,
   recording and notifying each breach. A second sweep straight after finds nothing to do: that
   is the cost of the every-five-minutes sweep on a quiet day.

Prints a table and writes ``bench/results/clocks-<backend>-<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from common import RESULTS, parse_size, size_label, target
from seed import setup_django
from sysstats import machine

PACKS = ("fca-disp", "housing-ombudsman-2024", "uk-gdpr-sar")


def compute_rate(cases: int, seed: int) -> dict[str, Any]:
    from amends.policies.packs import get_pack
    from amends.sla.calendars import calendar_for
    from amends.sla.domain import ClockEvent, Nation, Occurrence

    rng = random.Random(seed)
    calendar = calendar_for(Nation.ENGLAND)
    packs = [get_pack(p) for p in PACKS]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    histories = []
    for _ in range(cases):
        received = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        events = [Occurrence(ClockEvent.RECEIVED, received)]
        if rng.random() < 0.5:
            events.append(Occurrence(ClockEvent.ACKNOWLEDGED, received + timedelta(days=2)))
        if rng.random() < 0.1:
            events.append(Occurrence(ClockEvent.ESCALATED, received + timedelta(days=20)))
        if rng.random() < 0.1:
            events.append(Occurrence(ClockEvent.PAUSED, received + timedelta(days=3)))
            events.append(Occurrence(ClockEvent.RESUMED, received + timedelta(days=9)))
        histories.append((packs[rng.randrange(len(packs))], events))
    began = time.perf_counter()
    deadlines = computed = 0
    for pack, events in histories:
        for deadline in pack.deadlines_for(events, calendar):
            deadlines += 1
            computed += deadline.due is not None
    seconds = time.perf_counter() - began
    return {
        "cases": cases,
        "deadlines": deadlines,
        "with_a_due_date": computed,
        "seconds": round(seconds, 2),
        "deadlines_per_s": round(deadlines / seconds),
    }


def give_clocks(breaches: int) -> dict[str, Any]:
    """One running clock per case, due in the coming weeks; ``breaches`` of them due yesterday."""
    from django.db import connection, transaction

    from amends.core import clock

    today = clock.today()
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM sla_caseclock")
        cursor.execute("DELETE FROM core_event WHERE type IN ('clock.breached', 'clock.warned')")
        cursor.execute("DELETE FROM sla_notification")
        due = (
            "date(%s, '+' || (c.id %% 40) || ' days')"
            if connection.vendor == "sqlite"
            else "(%s::date + (c.id %% 40) * interval '1 day')::date"
        )
        warn = "date(%s, '+90 days')" if connection.vendor == "sqlite" else "(%s::date + 90)"
        cursor.execute(
            "INSERT INTO sla_caseclock (case_id, pack, rule, title, source, verified, basis, "
            "started_on, due_on, warn_on, paused, extended_by, updated_at) "
            f"SELECT c.id, 'iso-10002', 'response', 'Respond with the outcome', 'bench', true, "
            f"'', %s, {due}, {warn}, false, 0, %s FROM cases_case c",
            [today - timedelta(days=10), today, today, clock.now()],
        )
        running = cursor.rowcount
        cursor.execute(
            "UPDATE sla_caseclock SET due_on = %s WHERE id IN "
            "(SELECT id FROM sla_caseclock ORDER BY id LIMIT %s)",
            [today - timedelta(days=1), breaches],
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sla_caseclock")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sla_caseclock")
    return {"running_clocks": running, "seconds_to_load": round(time.perf_counter() - began, 1)}


def sweep_times(breaches: int) -> dict[str, Any]:
    from amends.core import clock
    from amends.sla import services

    now = clock.now()
    began = time.perf_counter()
    first = services.sweep(now=now)
    first_s = time.perf_counter() - began
    began = time.perf_counter()
    second = services.sweep(now=now + timedelta(minutes=5))
    quiet_s = time.perf_counter() - began
    return {
        "breaches_made_due": breaches,
        "breached": first.breached,
        "warned": first.warned,
        "sweep_seconds": round(first_s, 3),
        "per_breach_ms": round(first_s * 1000 / max(first.breached, 1), 2),
        "quiet_sweep_seconds": round(quiet_s, 3),
        "quiet_sweep_breached": second.breached,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--cases", type=parse_size, default=parse_size("1m"))
    parser.add_argument("--breaches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--compute-only", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    t = target(args.backend, args.database_url, args.data_dir)
    setup_django(t)
    result: dict[str, Any] = {"backend": args.backend, "machine": machine()}
    result["compute"] = compute_rate(args.cases, args.seed)
    print(f"computation: {result['compute']}", flush=True)
    if not args.compute_only:
        result["load"] = give_clocks(args.breaches)
        print(f"clocks: {result['load']}", flush=True)
        result["sweep"] = sweep_times(args.breaches)
        print(f"sweep: {result['sweep']}", flush=True)
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    label = size_label(args.cases)
    out = args.out or RESULTS / f"clocks-{args.backend}-{label}.json"
    with open(out, "w") as fh:
        json.dump(result, fh, indent=1)
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
