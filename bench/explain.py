"""The query plans of the agent's queue and of a text search, exactly as the application runs them.

    python bench/explain.py --backend sqlite [--q refund] [--out FILE]

Calls the real selector (:func:`amends.cases.selectors.list_cases`) for the bench agent, records
every SQL statement it sends with its parameters (a Django execute wrapper, so the SQL and the
parameter binding are the application's own), and prints each one's plan: ``EXPLAIN QUERY PLAN``
on SQLite, ``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL, with the time the statement took.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from common import BENCH_AGENT, target
from seed import setup_django


def capture(run: Any) -> list[tuple[str, Any]]:
    from django.db import connection

    seen: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run()
    return seen


def plan(sql: str, params: Any) -> tuple[list[str], float]:
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        seconds = time.perf_counter() - started
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            lines = [f"{'  ' * 0}{row[0]}|{row[1]}| {row[3]}" for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
    return lines, seconds


def _short(sql: str) -> str:
    """The statement with its long column list abbreviated."""
    head, sep, tail = sql.partition(" FROM ")
    if not sep or not head.startswith("SELECT "):
        return sql
    columns = head.count(", ") + 1
    return f"SELECT <{columns} columns: {head[7:60]}...> FROM {tail}"


def explain(q: str) -> str:
    from django.db import connection

    from amends.accounts.models import User
    from amends.cases import selectors
    from amends.cases.models import Case

    user = User.objects.get(username=BENCH_AGENT)
    out = [
        f"# {connection.vendor}, {Case.objects.count():,} cases; {BENCH_AGENT} in teams "
        f"{sorted(user.team_ids())}",
    ]
    runs = {
        "open queue, first page (GET /api/v1/cases?status=open&limit=50)": selectors.CaseQuery(
            status=["open"], limit=50
        ),
        f"text search (GET /api/v1/cases?q={q})": selectors.CaseQuery(q=q, limit=50),
    }
    for title, query in runs.items():
        selectors.list_cases(user, query)  # warm the caches first
        statements = capture(lambda query=query: selectors.list_cases(user, query))
        out.append(f"\n## {title}: {len(statements)} statement(s)")
        for sql, params in statements:
            lines, seconds = plan(sql, params)
            shown = list(params or ())
            if len(shown) > 8:
                shown = [*shown[:5], f"... {len(shown)} values in all"]
            out.append(f"\n-- {seconds * 1000:.2f} ms; params {shown!r}")
            out.append(_short(sql))
            out.extend(lines)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--q", default="refund", help="the word to search for")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    t = target(args.backend, args.database_url, args.data_dir)
    setup_django(t)
    text = explain(args.q)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
