"""The embedded job queue: jobs kept as durably as the main database, and its log copied back
by the process's checkpointer, not by the request that queued a job."""

from __future__ import annotations

import time
from pathlib import Path

from amends.core.queue import NormalSyncSqliteStorage
from amends.core.sqlite.base import Checkpointer, checkpointer_for


def test_queued_jobs_are_kept_and_the_log_is_checkpointed_in_the_background(
    tmp_path: Path,
) -> None:
    storage = NormalSyncSqliteStorage(name="test", filename=str(tmp_path / "queue.sqlite3"))
    conn = storage.conn
    assert conn.execute("pragma synchronous").fetchone()[0] == 1
    assert conn.execute("pragma wal_autocheckpoint").fetchone()[0] == 0
    checkpointer = checkpointer_for(storage.filename)
    for n in range(Checkpointer.EVERY_COMMITS):
        storage.enqueue(f"job {n}".encode())
    deadline = time.monotonic() + 5
    while checkpointer.frames == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert checkpointer.frames > 0
    assert storage.queue_size() == Checkpointer.EVERY_COMMITS
    assert bytes(storage.dequeue()) == b"job 0"
