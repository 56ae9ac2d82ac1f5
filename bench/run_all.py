"""Every HTTP benchmark: SQLite and PostgreSQL, at 10k, 100k and 1M cases.

    python bench/run_all.py                 # the full run (about an hour on 2 cores)
    python bench/run_all.py --quick         # a smoke run: small sizes, short phases
    python bench/run_all.py --table         # print the results table from bench/results

For each backend it starts from an empty database (``--keep`` to carry on from what is there),
then for each size: ``bench/seed.py`` brings the database to that many cases (adding to the
previous size's), ``bench/http_bench.py`` measures, and at the largest size ``bench/explain.py``
records the queue's query plans; then ``bench/bench_coach.py`` measures the reply coach (no
database). Results: ``bench/results/<backend>-<size>.json`` and
``bench/results/explain-<backend>-<size>.txt`` (the quick run writes under
``var/bench/quick/`` instead and leaves the committed results alone).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import BENCH_VAR, REPO, RESULTS, drop_pg_database, parse_size, size_label, target

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TARGETS = {"create_per_s": 500, "queue_p95_ms": 25, "lifecycles_per_s": 50}


def step(command: list[str], log: Path) -> None:
    print(f"$ {' '.join(command)}", flush=True)
    started = time.monotonic()
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            out.write(line)
        process.wait()
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}) after {time.monotonic() - started:.0f}s")


def pin_code() -> str:
    """Run everything against a copy of HEAD's ``src/`` (put first on ``PYTHONPATH``), so that
    commits landing during a long run do not mix two versions of the code in one table."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dest = BENCH_VAR / "pinned" / sha
    if not (dest / "COMMIT").exists():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "HEAD", "src"], cwd=REPO, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        (dest / "COMMIT").write_text(sha + "\n")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(dest / "src"), os.environ.get("PYTHONPATH", "")) if p
    )
    return sha


def load_results(results: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(results.glob("*.json")):
        data = json.loads(path.read_text())
        if "lifecycle" in data:
            rows.append(data)
    order = {"sqlite": 0, "postgresql": 1}
    return sorted(
        rows, key=lambda r: (order.get(r["backend"], 9), r["server"], r["cases_at_start"])
    )


def _runs(phase: dict[str, Any]) -> str:
    runs = phase.get("runs_per_s") or [phase["per_s"]]
    return f"{min(runs):.0f}-{max(runs):.0f}" if len(runs) > 1 else "-"


def table(results: Path) -> str:
    """The results as a Markdown table (the one in docs/benchmarks.md). Creations and
    lifecycles are the median of the runs, with the slowest and fastest run beside them."""
    lines = [
        "| backend | server processes | cases | agent's open queue | creations/s (runs) "
        "| create p50 / p95 ms | queue p50 / p95 / p99 ms (1 client) | queue req/s (N clients) "
        "| lifecycles/s (runs) | lifecycle requests/s | other load, cores |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in load_results(results):
        q, qn = r["queue"]["single_client"], r["queue"]["concurrent"]
        c, lc = r["create"], r["lifecycle"]
        other = max(q["other_cores"], c["other_cores"], lc["other_cores"])
        workers = r["server"].split("--workers ")[1].split()[0]
        lines.append(
            f"| {r['backend']} | {workers} | {r['cases_at_start']:,} "
            f"| {r['agent_open_queue_at_start']:,} "
            f"| {c['per_s']:.0f} ({_runs(c)}) | {c['p50_ms']:.0f} / {c['p95_ms']:.0f} "
            f"| {q['p50_ms']:.1f} / {q['p95_ms']:.1f} / {q['p99_ms']:.1f} "
            f"| {qn['per_s']:.0f} | {lc['per_s']:.1f} ({_runs(lc)}) | {lc['requests_per_s']:.0f} "
            f"| {other:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default=None, help="comma-separated, e.g. 10k,100k,1m")
    parser.add_argument("--quick", action="store_true", help="small sizes and short phases")
    parser.add_argument("--keep", action="store_true", help="carry on from the existing data")
    parser.add_argument(
        "--threads", type=int, default=None, help="server threads (http_bench's default)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument(
        "--pin", action="store_true", help="measure a copy of the committed HEAD's src/"
    )
    parser.add_argument("--table", action="store_true", help="only print the results table")
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="with --table: the folder of results to show"
    )
    args = parser.parse_args(argv)

    if args.table:
        print(table(args.results))
        return 0
    if args.pin:
        print(f"measuring the code of commit {pin_code()}", flush=True)
    sizes = [
        parse_size(s)
        for s in (args.sizes or ("2k,10k" if args.quick else "10k,100k,1m")).split(",")
    ]
    home = BENCH_VAR / "quick" if args.quick else BENCH_VAR
    results = home / "results" if args.quick else RESULTS
    results.mkdir(parents=True, exist_ok=True)
    log = home / "run_all.log"
    home.mkdir(parents=True, exist_ok=True)
    timing = (
        [
            *("--create-seconds", "5", "--lifecycle-seconds", "5"),
            *("--queue-requests", "100", "--warmup-seconds", "1", "--quiet-wait", "5"),
        ]
        if args.quick
        else []
    )
    for backend in args.backends.split(","):
        data_dir = home / backend
        url = target(backend).database_url + "_quick" if backend == "postgresql" else None
        t = target(backend, url if args.quick else None, str(data_dir))
        where = ["--backend", backend, "--data-dir", str(t.data_dir)]
        where += ["--database-url", t.database_url]
        if not args.keep:
            if backend == "postgresql":
                drop_pg_database(t.database_url)
            if data_dir.exists():
                shutil.rmtree(data_dir)
        for size in sizes:
            label = size_label(size)
            step([PYTHON, str(HERE / "seed.py"), *where, "--cases", str(size)], log)
            bench = [PYTHON, str(HERE / "http_bench.py"), *where, "--label", label]
            bench += ["--concurrency", str(args.concurrency)]
            bench += ["--threads", str(args.threads)] if args.threads else []
            step([*bench, *timing, "--out", str(results / f"{backend}-{label}.json")], log)
        explain_out = results / f"explain-{backend}-{size_label(sizes[-1])}.txt"
        step([PYTHON, str(HERE / "explain.py"), *where, "--out", str(explain_out)], log)
    coach = [PYTHON, str(HERE / "bench_coach.py"), "--out", str(results / "coach.json")]
    step([*coach, *(["--replies", "200", "--passes", "2"] if args.quick else [])], log)
    if not args.quick:
        print(table(results))
        print(f"targets: {TARGETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
