"""Bulk writers for ``bench/seed.py``: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from seedgen import Table

# --- loaders -----------------------------------------------------------------------------------


class Loader:
    vendor = ""

    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def insert(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> None: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def close(self) -> None: ...

    def set_counter(self, name: str, value: int) -> None:
        self.execute("DELETE FROM core_counter WHERE name = %s", [name])
        self.execute("INSERT INTO core_counter (name, value) VALUES (%s, %s)", [name, value])


class SqliteLoader(Loader):
    vendor = "sqlite"

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=WAL",
            "synchronous=OFF",
            "cache_size=-1048576",
            "temp_store=MEMORY",
            "foreign_keys=OFF",
        ):
            self.conn.execute(f"PRAGMA {pragma}")

    def _sql(self, sql: str) -> str:
        return sql.replace("%s", "?")

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def insert(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(table.columns))
        sql = f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES ({marks})"
        self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(self._sql(sql), list(params)).fetchall())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._sql(sql), list(params))

    def close(self) -> None:
        self.conn.close()


class PostgresLoader(Loader):
    vendor = "postgresql"

    def __init__(self, settings: dict[str, Any]) -> None:
        import psycopg

        self.conn = psycopg.connect(
            dbname=settings["NAME"],
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
        )
        self.conn.execute("SET synchronous_commit = off")
        self.conn.commit()

    def commit(self) -> None:
        self.conn.commit()

    def insert(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        rows = self.conn.execute(sql, list(params) or None).fetchall()  # type: ignore[arg-type]
        return list(rows)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, list(params) or None)  # type: ignore[arg-type]

    def close(self) -> None:
        self.conn.close()
