"""Case creation rate, queue latency and whole lifecycles per second, over HTTP.

    python bench/http_bench.py --backend sqlite --label 100k

Reads the database files once into the page cache (see :func:`prewarm`), starts ONE server
process (``amends run --no-worker --workers 1 --threads K``: Granian, one worker process with K
Python threads) against a database seeded by ``bench/seed.py``, issues an API token for the
bench agent (an agent in two teams) with ``amends token``, and drives the server from this
process (the load generator: Python threads, each with its own keep-alive ``http.client``
connection):

a. ``POST /api/v1/cases`` for ``--create-seconds``: creations per second;
b. ``GET /api/v1/cases?status=open&limit=50``, the agent's open queue, first page: latency
   p50/p95/p99 from one client (what a person waits for), then with ``--concurrency`` clients;
c. whole lifecycles for ``--lifecycle-seconds``: create, ``PATCH`` assign (assignee and
   version), acknowledged -> investigating -> resolved (with resolution summary, outcome and
   root cause), then ``GET /api/v1/cases?q=<a word of the case's text>``, checking the new case
   is found: lifecycles per second.

Prints a table and writes ``bench/results/<backend>-<label>.json``. Client and server share the
machine's cores; the CPU each used is recorded with the results.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import texts
from common import AMENDS, BENCH_AGENT, RESULTS, Target, code_info, target
from loadgen import HOST, ApiError, Client, Tally, run_threads, stats
from sysstats import cpu_snapshot, cpu_used, machine, wait_quiet

OPEN_STATUSES_SQL = "status NOT IN ('closed', 'withdrawn')"
# Server threads by backend, the fastest measured (docs/benchmarks.md). Python runs one thread
# at a time: on SQLite, whose work is in the server process, more threads only add switching;
# on PostgreSQL a second thread works while the first waits for the database.
THREADS = {"sqlite": 1, "postgresql": 2}
RESOLUTION = {
    "resolution_summary": "We refunded the charge and fixed the tariff on the account.",
    "outcome": "upheld",
    "root_cause": "The billing system applied the old tariff after the price change.",
}


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    t: Target, *, threads: int, port: int, extra_env: dict[str, str], workers: int = 1
) -> Server:
    log = t.data_dir / "server.log"
    command = [AMENDS, "run", "--no-worker", "--workers", str(workers), "--threads", str(threads)]
    command += ["--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=t.env(**extra_env), stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}); see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise SystemExit(f"the server did not answer within 60 s; see {log}")


def issue_token(t: Target, username: str) -> str:
    done = subprocess.run(
        [AMENDS, "token", username, "--label", "bench"],
        env=t.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Workload:
    samples: list[texts.Sample]
    customer_numbers: tuple[int, int]
    agent: str

    def case_body(self, rng: random.Random) -> dict[str, Any]:
        lo, hi = self.customer_numbers
        sample = rng.choice(self.samples)
        return {
            "customer": f"CU-{rng.randint(lo, hi):07d}",
            "kind": "complaint",
            "channel": "email",
            "description": sample.text,
        }

    def create(self, client: Client, tally: Tally, rng: random.Random) -> None:
        _, seconds = client.json("POST", "/api/v1/cases", self.case_body(rng), 201)
        tally.add("create", seconds)
        tally.done += 1

    def lifecycle(self, client: Client, tally: Tally, rng: random.Random) -> None:
        for _ in range(20):  # a text with a word worth searching for
            body = self.case_body(rng)
            word = texts.search_word(body["description"], rng)
            if word is not None:
                break
        else:
            raise ApiError("no case text with a word to search for")
        case, seconds = client.json("POST", "/api/v1/cases", body, 201)
        tally.add("create", seconds)
        path = f"/api/v1/cases/{case['reference']}"
        case, seconds = client.json(
            "PATCH", path, {"version": case["version"], "assignee": self.agent}, 200
        )
        tally.add("assign", seconds)
        for to in ("acknowledged", "investigating", "resolved"):
            change: dict[str, Any] = {"to": to, "version": case["version"]}
            if to == "resolved":
                change.update(RESOLUTION)
            case, seconds = client.json("POST", f"{path}/transitions", change, 200)
            tally.add(to, seconds)
        found, seconds = client.json("GET", f"/api/v1/cases?q={quote(word)}", None, 200)
        tally.add("search", seconds)
        if all(item["reference"] != case["reference"] for item in found["items"]):
            raise ApiError(f"search for {word!r} did not find {case['reference']}")
        tally.done += 1

    def queue(self, client: Client, tally: Tally, rng: random.Random) -> None:
        status, raw, seconds = client.call("GET", "/api/v1/cases?status=open&limit=50")
        if status != 200:
            raise ApiError(f"GET queue -> {status}: {raw[:300]!r}")
        tally.add("queue", seconds)
        tally.done += 1


# --- database facts ---------------------------------------------------------------------------


def db_facts(t: Target, teams: list[str]) -> dict[str, int]:
    marks = ", ".join(["%s"] * len(teams))
    open_sql = (
        "SELECT count(*) FROM cases_case c JOIN accounts_team t ON t.id = c.team_id "
        f"WHERE {OPEN_STATUSES_SQL} AND t.slug IN ({marks})"
    )
    if t.backend == "sqlite":
        path = urlparse(t.database_url).path
        with sqlite3.connect(path) as conn:
            total = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
            queue = conn.execute(open_sql.replace("%s", "?"), teams).fetchone()[0]
    else:
        import psycopg

        with psycopg.connect(t.database_url) as conn:
            total = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]  # type: ignore[index]
            queue = conn.execute(open_sql, teams).fetchone()[0]  # type: ignore[arg-type,index]
    return {"cases": int(total), "agent_open_queue": int(queue)}


# --- a warm start -------------------------------------------------------------------------------

PG_PREWARM = (
    "SELECT count(pg_prewarm(c.oid::regclass, 'read')) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't', 'm')"
)


def settle(t: Target) -> float:
    """Write out what seeding left in memory before measuring, and return the seconds it took.
    Straight after seeding a million cases the operating system still holds gigabytes of dirty
    pages (and PostgreSQL a checkpoint's worth of changed buffers); flushing them in the
    background during the first minutes made SQLite's commits wait (creations p95 19 ms
    instead of 9 ms). Here: a PostgreSQL CHECKPOINT, then sync(2)."""
    started = time.monotonic()
    if t.backend == "postgresql":
        import psycopg

        with psycopg.connect(t.database_url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    os.sync()
    return round(time.monotonic() - started, 1)


def prewarm(t: Target) -> float:
    """Read the whole database once into the operating system's page cache, and return the
    seconds it took. The benchmark machine hands page cache back to its host within minutes,
    and reads a missing page from its virtual disk in 3-6 ms; without this, a run at a million
    cases measures that disk, not Amends, until the pages it touches have been read again."""
    started = time.monotonic()
    if t.backend == "sqlite":
        path = Path(urlparse(t.database_url).path)
        for part in (path, path.with_name(path.name + "-wal")):
            if part.exists():
                with part.open("rb") as fh:
                    while fh.read(1 << 20):
                        pass
    else:
        import psycopg

        with psycopg.connect(t.database_url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            conn.execute(PG_PREWARM)
    return round(time.monotonic() - started, 1)


# --- the benchmark -------------------------------------------------------------------------------


def bench(
    t: Target,
    *,
    label: str,
    threads: int,
    concurrency: int,
    create_seconds: float,
    lifecycle_seconds: float,
    queue_requests: int,
    warmup_seconds: float,
    extra_env: dict[str, str],
    out: Path | None,
    quiet_threshold: float = 0.3,
    quiet_wait: float = 120,
    repeat: int = 3,
    workers: int = 1,
) -> dict[str, Any]:
    meta = t.read_meta()
    samples, source = texts.load_samples()
    work = Workload(samples, tuple(meta["customer_numbers"]), BENCH_AGENT)  # type: ignore[arg-type]
    before = db_facts(t, meta["bench_agent_teams"])
    code = code_info(t.env(**extra_env))
    settle_seconds = settle(t)
    prewarm_seconds = prewarm(t)
    server = start_server(
        t, threads=threads, port=free_port(), extra_env=extra_env, workers=workers
    )
    result: dict[str, Any] = {
        "backend": t.backend,
        "label": label,
        "cases_at_start": before["cases"],
        "agent_open_queue_at_start": before["agent_open_queue"],
        "server": f"amends run --no-worker --workers {workers} --threads {threads}",
        "concurrency": concurrency,
        "machine": machine(),
        "text_source": source,
        "extra_env": extra_env,
        "code": code,
        "settle_seconds": settle_seconds,
        "prewarm_seconds": prewarm_seconds,
    }
    try:
        token = issue_token(t, BENCH_AGENT)
        port = server.port
        pid = server.process.pid

        # Warm up every path (imports, connections, caches) before measuring anything.
        run_threads(concurrency, warmup_seconds, port, token, work.lifecycle, seed=1)
        run_threads(concurrency, warmup_seconds / 2, port, token, work.queue, seed=2)

        def quiet() -> float:
            return wait_quiet(quiet_threshold, quiet_wait)

        # b. the open queue, first page: one client, then many.
        idle_before = quiet()
        client = Client(port, token)
        single = Tally()
        cpu0 = cpu_snapshot(pid)
        for _ in range(queue_requests):
            work.queue(client, single, random.Random(0))
        cpu1 = cpu_snapshot(pid)
        client.close()
        loaded, seconds = run_threads(concurrency, 10, port, token, work.queue, seed=3)
        cpu2 = cpu_snapshot(pid)
        result["queue"] = {
            "single_client": {
                **stats(single.latencies["queue"]),
                **cpu_used(cpu0, cpu1),
                "busy_cores_before": idle_before,
            },
            "concurrent": {
                **stats(loaded.latencies.get("queue", [])),
                "per_s": round(loaded.done / seconds, 1),
                "errors": len(loaded.errors),
                **cpu_used(cpu1, cpu2),
            },
        }

        # a. creations, then c. lifecycles: each phase ``repeat`` times (this machine's speed
        # wanders by 5-10% from minute to minute); the median run is the result, and every
        # run's rate is kept beside it.
        def phase(name: str, seconds: float, work_fn: Any, seed: int) -> dict[str, Any]:
            runs = []
            for n in range(repeat):
                idle_before = quiet()
                cpu0 = cpu_snapshot(pid)
                tally, elapsed = run_threads(
                    concurrency, seconds, port, token, work_fn, seed=seed + 10 * n
                )
                cpu1 = cpu_snapshot(pid)
                runs.append(
                    (tally.done / elapsed, tally, elapsed, cpu_used(cpu0, cpu1), idle_before)
                )
            rates = [r[0] for r in runs]
            _, tally, elapsed, cpu, idle_before = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
            out: dict[str, Any] = {
                "count": tally.done,
                "seconds": round(elapsed, 1),
                "per_s": round(tally.done / elapsed, 1),
                "runs_per_s": [round(r, 1) for r in rates],
                "errors": sum(len(r[1].errors) for r in runs),
                "first_errors": [e for r in runs for e in r[1].errors][:3],
                **cpu,
                "busy_cores_before": idle_before,
            }
            if name == "create":
                out.update(stats(tally.latencies.get("create", [])))
            else:
                out["requests_per_s"] = round(sum(map(len, tally.latencies.values())) / elapsed, 1)
                out["steps"] = {step: stats(v) for step, v in tally.latencies.items()}
            return out

        result["create"] = phase("create", create_seconds, work.create, seed=4)
        result["lifecycle"] = phase("lifecycle", lifecycle_seconds, work.lifecycle, seed=5)
    finally:
        server.stop()
    result["cases_at_end"] = db_facts(t, meta["bench_agent_teams"])["cases"]
    after = code_info(t.env(**extra_env))
    if after != code and (
        code["pinned_commit"] is None or after["amends_path"] != code["amends_path"]
    ):
        result["code_changed_during_run"] = True
        print("WARNING: the code changed while this benchmark ran; run it again")
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print_table(result)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {out}")
    return result


def print_table(r: dict[str, Any]) -> None:
    q1, qn = r["queue"]["single_client"], r["queue"]["concurrent"]
    c, lc = r["create"], r["lifecycle"]
    code = r["code"]
    where = code["pinned_commit"] or f"{code['git_head']}{' + changes' * code['src_modified']}"
    print(
        f"\n{r['backend']} at {r['cases_at_start']:,} cases, code {where} "
        f"(agent's open queue {r['agent_open_queue_at_start']:,}); {r['server']}, "
        f"{r['concurrency']} client threads"
    )
    rows = [
        ("queue, 1 client", f"{q1['n']} req", q1),
        (f"queue, {r['concurrency']} clients", f"{qn['per_s']}/s", qn),
        ("create", f"{c['per_s']}/s", c),
        ("lifecycle (6 requests)", f"{lc['per_s']}/s", None),
    ]
    rows += [(f"  {step}", "", s) for step, s in lc["steps"].items()]
    print(f"{'measure':<26}{'rate':>12}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, rate, s in rows:
        if s is None:
            print(f"{name:<26}{rate:>12}{'':>30}{lc['errors']:>8}")
            continue
        errors = s.get("errors", "")
        print(
            f"{name:<26}{rate:>12}{s['p50_ms']:>10.1f}{s['p95_ms']:>10.1f}{s['p99_ms']:>10.1f}"
            f"{errors!s:>8}"
        )
    for name, s in (("create", c), ("lifecycle", lc)):
        if len(s.get("runs_per_s", [])) > 1:
            print(f"{name} runs/s: {s['runs_per_s']} (the median is the result)")
        for error in s["first_errors"]:
            print(f"{name} error: {error}")
    print("CPU, cores busy: client / server / postgres / other programs on the machine")
    for name, s in (("queue, 1 client", q1), ("create", c), ("lifecycle", lc)):
        print(
            f"  {name:<18}{s['client_cores']:>6} {s['server_cores']:>6} "
            f"{s['postgres_cores']:>6} {s['other_cores']:>6}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--label", required=True, help="size label for the results, e.g. 100k")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="server threads (default: 1 on SQLite, 2 on PostgreSQL; see THREADS)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--create-seconds", type=float, default=25)
    parser.add_argument("--lifecycle-seconds", type=float, default=30)
    parser.add_argument("--queue-requests", type=int, default=500)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the creation and lifecycle phases (median)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (the targets are for one; more measures scaling out)",
    )
    parser.add_argument("--warmup-seconds", type=float, default=4)
    parser.add_argument(
        "--quiet-threshold",
        type=float,
        default=0.3,
        help="before each phase, wait until other programs use fewer cores than this",
    )
    parser.add_argument("--quiet-wait", type=float, default=120, help="longest wait, seconds")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    parser.add_argument("--out", type=Path, default=None, help="results file (JSON)")
    parser.add_argument("--no-write", action="store_true", help="do not write the JSON results")
    args = parser.parse_args(argv)
    t = target(args.backend, args.database_url, args.data_dir)
    extra_env = dict(pair.split("=", 1) for pair in args.env)
    out = args.out or RESULTS / f"{t.backend}-{args.label}.json"
    if args.no_write:
        out = None
    bench(
        t,
        label=args.label,
        threads=args.threads or THREADS[t.backend],
        concurrency=args.concurrency,
        create_seconds=args.create_seconds,
        lifecycle_seconds=args.lifecycle_seconds,
        queue_requests=args.queue_requests,
        warmup_seconds=args.warmup_seconds,
        extra_env=extra_env,
        out=out,
        quiet_threshold=args.quiet_threshold,
        quiet_wait=args.quiet_wait,
        repeat=args.repeat,
        workers=args.workers,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
