"""The embedded job queue (SQLite) for a one-machine install: the same durability as the main
database (WAL with ``synchronous=NORMAL``), instead of huey's default fsync on every job, which
cost each new case several milliseconds for its acknowledgement job; and, like the main
database, its write-ahead log copied back by a thread of each process (``core.sqlite``) rather
than by whichever request's job fills it. Production runs Redis."""

from __future__ import annotations

import sqlite3
from typing import Any

from huey import Huey
from huey.storage import SqliteStorage

from amends.core.sqlite.base import checkpointer_for


class NormalSyncSqliteStorage(SqliteStorage):
    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=1")  # NORMAL: durable across a crash of the process
        conn.execute("pragma wal_autocheckpoint=0")  # the checkpointer's work, not a request's
        checkpointer_for(self.filename)
        return conn

    def enqueue(self, data: Any, priority: Any = None) -> None:
        super().enqueue(data, priority)
        checkpointer_for(self.filename).committed()


class SqliteHuey(Huey):
    storage_class = NormalSyncSqliteStorage
