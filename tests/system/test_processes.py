"""The real processes a user starts: `amends migrate`, `demo`, `run` (web server and worker).

Each test gets its own data directory, so these talk to a fresh SQLite database (or, when the
suite runs on PostgreSQL, to a database of their own) exactly as `make run` would.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.system

AMENDS = [sys.executable, "-m", "amends.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def install(tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Make the environment of a fresh installation: its own data directory and database."""

    def make(name: str) -> dict[str, str]:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("AMENDS_")}
        environ.update(AMENDS_DATA_DIR=str(tmp_path / name), AMENDS_SECRET_KEY="system-test")
        url = os.environ.get("AMENDS_DATABASE_URL", "")
        if url.startswith("postgres"):
            database = f"amends_sys_{os.getpid()}_{name}"
            admin = url.rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{database}"')
            environ["AMENDS_DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{database}"
            request.addfinalizer(lambda: _drop(admin, database))
        return environ

    return make


def _drop(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def amends(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*AMENDS, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"amends {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def test_demo_data_is_reproducible(install):  # type: ignore[no-untyped-def]
    exports = []
    for n in range(2):
        run_env = install(f"demo{n}")
        amends(run_env, "migrate", "--verbosity", "0")
        out = amends(run_env, "demo", "--cases", "25", "--seed", "7", "--today", "2026-06-01")
        assert "25 cases" in out.stdout
        exports.append(amends(run_env, "export", "cases", "--format", "jsonl").stdout)
    assert exports[0] == exports[1]
    rows = [json.loads(line) for line in exports[0].splitlines()]
    assert len(rows) == 26  # the 25 asked for, and one raised by the demo's email
    assert len({r["status"] for r in rows}) >= 5
    assert len({r["kind"] for r in rows}) >= 3


def _get(url: str, token: str | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(url)  # noqa: S310 (http to our own server)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def test_run_serves_the_api_and_the_worker_runs_jobs(install):  # type: ignore[no-untyped-def]
    env = install("run")
    amends(env, "migrate", "--verbosity", "0")
    amends(env, "demo", "--cases", "10", "--seed", "3")
    token = amends(env, "token", "agent").stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [*AMENDS, "run", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/healthz", server)
        status, body = _get(f"{base}/api/v1/cases?status=open", token)
        assert status == 200
        assert body["items"]
        status, body = _get(f"{base}/api/v1/cases")
        assert status == 401
        assert body["error"]["code"] == "unauthenticated"
        # Ask the worker (started by `run`) for a timeline check, and see it recorded.
        enqueue = (
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','amends.settings');"
            "django.setup(); from amends.core.tasks import verify_timeline_task;"
            "verify_timeline_task()"
        )
        subprocess.run([sys.executable, "-c", enqueue], env=env, check=True, timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _audit_events(env):
                break
            time.sleep(0.5)
        assert _audit_events(env) == ["audit.verified"]
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def _audit_events(env: dict[str, str]) -> list[str]:
    sql = "SELECT type FROM core_event WHERE stream = 'system:audit' ORDER BY seq"
    url = env.get("AMENDS_DATABASE_URL", "")
    if url.startswith("postgres"):
        with psycopg.connect(url) as conn:
            return [row[0] for row in conn.execute(sql)]
    with sqlite3.connect(Path(env["AMENDS_DATA_DIR"]) / "amends.sqlite3") as conn:
        return [row[0] for row in conn.execute(sql)]
