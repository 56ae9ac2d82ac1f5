"""Two real workers on PostgreSQL and Redis sweep the same clocks at once: every breach is
escalated exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis

pytestmark = pytest.mark.system

AMENDS = [sys.executable, "-m", "amends.cli"]
PG_URL = os.environ.get("AMENDS_TEST_POSTGRES_URL") or (
    os.environ["AMENDS_DATABASE_URL"]
    if os.environ.get("AMENDS_DATABASE_URL", "").startswith("postgres")
    else ""
)
REDIS_URL = os.environ.get("AMENDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

ENQUEUE = """
import json, django
django.setup()
from amends.sla.tasks import sweep_clocks_now_task
results = [sweep_clocks_now_task() for _ in range({n})]
print(json.dumps([r.get(blocking=True, timeout=120) for r in results]))
"""


@pytest.fixture
def environment(tmp_path: Path):  # type: ignore[no-untyped-def]
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set AMENDS_TEST_POSTGRES_URL (CI does)")
    database = f"amends_workers_{uuid.uuid4().hex[:8]}"
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMENDS_")}
    env.update(
        AMENDS_DATA_DIR=str(tmp_path),
        AMENDS_SECRET_KEY="workers-test",
        AMENDS_DATABASE_URL=PG_URL.rsplit("/", 1)[0] + f"/{database}",
        AMENDS_REDIS_URL=REDIS_URL,
        AMENDS_QUEUE_NAME=f"amends-test-{database}",
        AMENDS_WORKER_THREADS="2",
        DJANGO_SETTINGS_MODULE="amends.settings",
    )
    yield env
    redis.Redis.from_url(REDIS_URL).flushdb()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [*AMENDS, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"amends {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_two_workers_escalate_each_breach_exactly_once(environment: dict[str, str]) -> None:
    env = environment
    run(env, "migrate", "--verbosity", "0")
    # Cases received months ago: most of their running clocks are past due.
    run(env, "demo", "--cases", "60", "--seed", "11", "--today", "2026-06-01")
    with psycopg.connect(env["AMENDS_DATABASE_URL"]) as conn:
        overdue = conn.execute(
            "SELECT count(*) FROM sla_caseclock WHERE stopped_at IS NULL AND due_on < now()::date"
        ).fetchone()[0]
    assert overdue > 10

    # Only the sweeps enqueued below run (a timed sweep would find nothing left to do).
    workers = [subprocess.Popen([*AMENDS, "worker", "--no-periodic"], env=env) for _ in range(2)]
    try:
        time.sleep(2)  # both consumers are listening
        out = subprocess.run(
            [sys.executable, "-c", ENQUEUE.format(n=8)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    results = json.loads(out.strip().splitlines()[-1])
    assert len(results) == 8
    assert sum(r["breached"] for r in results) == overdue
    with psycopg.connect(env["AMENDS_DATABASE_URL"]) as conn:
        per_clock = conn.execute(
            "SELECT stream, data->>'rule', count(*) FROM core_event WHERE type = 'clock.breached' "
            "GROUP BY 1, 2"
        ).fetchall()
        breached = conn.execute(
            "SELECT count(*) FROM sla_caseclock WHERE breached_at IS NOT NULL"
        ).fetchone()[0]
    assert len(per_clock) == overdue == breached
    assert {count for _, _, count in per_clock} == {1}
