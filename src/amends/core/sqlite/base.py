"""Django's SQLite backend, with one writer at a time per process, in turn.

SQLite lets one connection write at a time. Django's transactions here start with
``BEGIN IMMEDIATE``, so a second writer waits in SQLite's busy handler, which sleeps and
retries (1, 2, 5, 10 ... 100 ms). Under load that sleeping, not the work, sets the latency:
with four server threads, logging cases had a p99 of a quarter of a second. So the threads of
one process queue on a lock before ``BEGIN IMMEDIATE`` and the next one starts the moment the
last one commits. Other processes (the worker, the mail listener) still meet at SQLite's own
lock, as before. A writer that cannot get the lock within the connection's ``timeout`` gets
"database is locked", as SQLite would have said.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _writer_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


@lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, which rewrites every statement's %s to ? with a regular expression;
    the same few hundred statements run all day, so each is rewritten once."""

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]


class DatabaseWrapper(base.DatabaseWrapper):
    _writer: threading.Lock | None = None

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self) -> None:
        mode = getattr(self, "transaction_mode", None)  # set by Django; not in the stubs
        if mode != "IMMEDIATE" or self.is_in_memory_db():
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        lock = _writer_lock(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._writer = lock
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _release_writer(self) -> None:
        lock, self._writer = self._writer, None
        if lock is not None:
            lock.release()

    def _finished(self) -> bool:
        return self.connection is None or not self.connection.in_transaction

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            if self._finished():
                self._release_writer()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            if self._finished():
                self._release_writer()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()
