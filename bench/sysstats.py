"""CPU used by the client, the server and PostgreSQL, and what the machine is.

The machine may be shared: besides our processes, the CPU every other program used during a
phase is recorded too, as a gauge of how noisy that phase's figures are.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import time
from pathlib import Path
from typing import Any

# --- CPU accounting (client, server, database server) --------------------------------------------


def _proc_stats() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds) for every process we can read."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(entry)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick)
    return out


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process) since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_quiet(threshold: float, max_wait: float) -> float:
    """Wait (up to ``max_wait`` s) until other work on the machine uses under ``threshold``
    cores over a 2 s window; returns the last reading. The machine may be shared."""
    deadline = time.monotonic() + max_wait
    while True:
        before, started = machine_busy_seconds(), time.monotonic()
        time.sleep(2)
        busy = (machine_busy_seconds() - before) / (time.monotonic() - started)
        if busy < threshold or time.monotonic() >= deadline:
            return round(busy, 2)


def cpu_snapshot(server_pid: int) -> dict[str, Any]:
    stats = _proc_stats()
    tree = {server_pid}
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _, _) in stats.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return {
        "client": time.process_time(),
        "server": {p: stats[p][2] for p in tree if p in stats},
        "postgres": {p: cpu for p, (_, name, cpu) in stats.items() if name.startswith("postgres")},
        "machine": machine_busy_seconds(),
        "wall": time.monotonic(),
    }


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    # Processes that ended in between are lost; ones that started count from zero.
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def cpu_used(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    wall = after["wall"] - before["wall"]
    used = {
        "client": (after["client"] - before["client"]) / wall,
        "server": _delta(before["server"], after["server"]) / wall,
        "postgres": _delta(before["postgres"], after["postgres"]) / wall,
        "machine": (after["machine"] - before["machine"]) / wall,
    }
    # What other programs on the machine used meanwhile (it may be shared): a noise gauge.
    used["other"] = max(used["machine"] - used["client"] - used["server"] - used["postgres"], 0)
    return {f"{k}_cores": round(v, 2) for k, v in used.items()}


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "kernel": platform.release(),
    }
