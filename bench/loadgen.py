"""The load generator: threads, each holding one persistent keep-alive HTTP connection."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from common import percentile

HOST = "127.0.0.1"

# --- the load generator --------------------------------------------------------------------------


class ApiError(Exception):
    pass


class Client:
    """One persistent keep-alive connection, as one user's browser or integration would hold."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, bytes, float]:
        payload = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=payload, headers=self.headers)
                response = self.conn.getresponse()
                raw = response.read()
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
                if attempt == 2:
                    raise
                continue
            return response.status, raw, time.perf_counter() - started
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: Any, expect: int) -> tuple[dict[str, Any], float]:
        status, raw, seconds = self.call(method, path, body)
        if status != expect:
            raise ApiError(f"{method} {path} -> {status}: {raw[:300]!r}")
        return json.loads(raw), seconds

    def close(self) -> None:
        self.conn.close()


@dataclass
class Tally:
    """What the threads of one phase measured."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    done: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, seconds: float) -> None:
        self.latencies.setdefault(step, []).append(seconds)

    def merge(self, other: Tally) -> None:
        with self.lock:
            for step, values in other.latencies.items():
                self.latencies.setdefault(step, []).extend(values)
            self.done += other.done
            self.errors.extend(other.errors)


def run_threads(
    concurrency: int,
    seconds: float,
    port: int,
    token: str,
    work: Callable[[Client, Tally, random.Random], None],
    seed: int,
) -> tuple[Tally, float]:
    """Each thread repeats ``work`` until the time is up; returns the tally and elapsed time."""
    total = Tally()
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def loop(n: int) -> None:
        client, mine, rng = Client(port, token), Tally(), random.Random(seed * 100 + n)
        start.wait()
        while time.monotonic() < deadline[0]:
            try:
                work(client, mine, rng)
            except ApiError as exc:
                mine.errors.append(str(exc))
                if len(mine.errors) > 50:
                    break
        client.close()
        total.merge(mine)

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(concurrency)]
    for th in threads:
        th.start()
    began = time.monotonic()
    deadline[0] = began + seconds
    start.wait()
    for th in threads:
        th.join()
    return total, time.monotonic() - began


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    ms = [v * 1000 for v in ordered]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(ms[-1], 2) if ms else float("nan"),
    }
