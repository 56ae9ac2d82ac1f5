"""The embedded job queue (SQLite) for a one-machine install: the same durability as the main
database (WAL with ``synchronous=NORMAL``), instead of huey's default fsync on every job, which
cost each new case several milliseconds for its acknowledgement job. Production runs Redis."""

from __future__ import annotations

import sqlite3

from huey import Huey
from huey.storage import SqliteStorage


class NormalSyncSqliteStorage(SqliteStorage):
    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=1")  # NORMAL: durable across a crash of the process
        return conn


class SqliteHuey(Huey):
    storage_class = NormalSyncSqliteStorage
