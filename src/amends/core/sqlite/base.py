"""Django's SQLite backend, with one writer at a time per process, in turn.

SQLite lets one connection write at a time. Django's transactions here start with
``BEGIN IMMEDIATE``, so a second writer waits in SQLite's busy handler, which sleeps and
retries (1, 2, 5, 10 ... 100 ms). Under load that sleeping, not the work, sets the latency:
with four server threads, logging cases had a p99 of a quarter of a second. So the threads of
one process queue on a lock before ``BEGIN IMMEDIATE`` and the next one starts the moment the
last one commits. Other processes (the worker, the mail listener) still meet at SQLite's own
lock, as before. A writer that cannot get the lock within the connection's ``timeout`` gets
"database is locked", as SQLite would have said.

Copying the write-ahead log back into the database (a checkpoint) is SQLite's work too, and by
default the commit that fills the log past 1,000 pages does it: one request in every sixty or
so waited 5-10 ms at a million cases. Here each process has a checkpointer thread per database
file instead, woken every few commits; SQLite runs the copy without Python's lock, so requests
go on meanwhile. Connections of this backend switch SQLite's own checkpoints off.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from functools import lru_cache
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

log = logging.getLogger(__name__)

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


class Checkpointer:
    """Checkpoints one database file from a thread of its own, in ``PASSIVE`` mode: it copies
    what it can without waiting for readers or writers, and never blocks them."""

    EVERY_COMMITS = 32  # about 500 pages of log for a logged case
    IDLE_SECONDS = 1.0  # and this often anyway (writes outside transactions count no commits)

    def __init__(self, path: str) -> None:
        self.path = path
        self.pending = 0
        self.runs = 0  # checkpoints done, and the log frames they copied: for tests and logs
        self.frames = 0
        self._wake = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"sqlite-checkpoint:{os.path.basename(path)}", daemon=True
        )
        self._thread.start()

    def committed(self) -> None:
        self.pending += 1  # a lost update under a race only delays the next checkpoint
        if self.pending >= self.EVERY_COMMITS:
            self._wake.set()

    def _loop(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        while True:
            self._wake.wait(self.IDLE_SECONDS)
            self._wake.clear()
            self.pending = 0
            try:
                busy, _, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as exc:  # the next commit tries again
                log.warning("checkpoint of %s failed: %s", self.path, exc)
                continue
            self.runs += 1
            self.frames += max(copied, 0) if not busy else 0


_checkpointers: dict[tuple[int, str], Checkpointer] = {}


def checkpointer_for(path: str) -> Checkpointer:
    """This process's checkpointer of ``path`` (a forked child starts its own)."""
    key = (os.getpid(), path)
    with _locks_guard:
        found = _checkpointers.get(key)
        if found is None:
            found = _checkpointers[key] = Checkpointer(path)
        return found


class DatabaseWrapper(base.DatabaseWrapper):
    _writer: threading.Lock | None = None
    _checkpointer: Checkpointer | None = None

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            conn.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = checkpointer_for(str(self.settings_dict["NAME"]))
        return conn

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
                if self._checkpointer is not None:
                    self._checkpointer.committed()

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
