"""What the benchmark scripts share: where things live, and which database each backend uses.

Every benchmark database lives outside the repository's tracked files, under ``var/bench/``
(ignored by git), or in a dedicated PostgreSQL database (``amends_bench``). Each backend has its
own ``AMENDS_DATA_DIR`` because the timeline's audit key is derived from the secret key kept
there: the seeder and the server must sign and check hash chains with the same key.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
BENCH_VAR = Path(os.environ.get("AMENDS_BENCH_DIR", REPO / "var" / "bench")).resolve()
RESULTS = REPO / "bench" / "results"
BIN = Path(sys.executable).parent
AMENDS = str(BIN / "amends")

PG_SERVER = os.environ.get("AMENDS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "amends_bench"
# Never benchmark in (or drop) these: they belong to people and to the test suite.
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}

BENCH_AGENT = "bench-agent"
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Target:
    backend: str
    database_url: str
    data_dir: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            AMENDS_DATABASE_URL=self.database_url,
            AMENDS_DATA_DIR=str(self.data_dir),
            AMENDS_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE=env.get("DJANGO_SETTINGS_MODULE", "amends.settings"),
        )
        env.update(extra)
        return env

    @property
    def meta_path(self) -> Path:
        return self.data_dir / "seed-meta.json"

    def read_meta(self) -> dict[str, Any]:
        return dict(json.loads(self.meta_path.read_text()))


def target(backend: str, database_url: str | None = None, data_dir: str | None = None) -> Target:
    if backend not in BACKENDS:
        raise SystemExit(f"unknown backend {backend!r}: one of {', '.join(BACKENDS)}")
    home = Path(data_dir).resolve() if data_dir else BENCH_VAR / backend
    if database_url is None:
        if backend == "sqlite":
            database_url = f"sqlite:///{home / 'amends.sqlite3'}"
        else:
            database_url = f"{PG_SERVER}/{PG_DATABASE}"
    if backend == "postgresql":
        check_pg_name(database_url)
    return Target(backend=backend, database_url=database_url, data_dir=home)


def check_pg_name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to benchmark in the PostgreSQL database {name!r}")
    return name


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database if it is not there yet."""
    import psycopg
    from psycopg import sql

    name = check_pg_name(url)
    server = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created PostgreSQL database {name}", flush=True)


def drop_pg_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = check_pg_name(url)
    server = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def code_info(env: dict[str, str] | None = None) -> dict[str, Any]:
    """Which code is measured: the commit, whether src/ differs from it, and where the
    ``amends`` package is imported from (a pinned copy when ``PYTHONPATH`` points at one)."""
    import subprocess

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)
        return done.stdout.strip()

    path = run(sys.executable, "-c", "import amends, os; print(os.path.dirname(amends.__file__))")
    pinned = Path(path).resolve().parent.parent / "COMMIT"
    return {
        "git_head": run("git", "rev-parse", "--short", "HEAD"),
        "src_modified": bool(run("git", "status", "--porcelain", "--", "src")),
        "amends_path": path,
        "pinned_commit": pinned.read_text().strip() if pinned.exists() else None,
    }


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation; values must be sorted."""
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def size_label(cases: int) -> str:
    if cases >= 1_000_000 and cases % 1_000_000 == 0:
        return f"{cases // 1_000_000}m"
    if cases >= 1000 and cases % 1000 == 0:
        return f"{cases // 1000}k"
    return str(cases)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)
