"""On SQLite, the threads of a process take turns to write: the next starts when one ends."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction

from amends.core.models import Counter
from amends.core.sqlite.base import Checkpointer, checkpointer_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the writer queue is SQLite's"),
]


def _in_thread(target: Any) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_writer_starts_as_soon_as_the_first_commits() -> None:
    holding, committed, started = threading.Event(), [], []

    def first() -> None:
        with transaction.atomic():
            Counter.objects.create(name="first", value=1)
            holding.set()
            time.sleep(0.35)
        committed.append(time.monotonic())

    def second() -> None:
        holding.wait()
        with transaction.atomic():
            started.append(time.monotonic())
            Counter.objects.create(name="second", value=2)

    threads = [_in_thread(first), _in_thread(second)]
    for t in threads:
        t.join(10)
    assert len(started) == 1 and len(committed) == 1
    # SQLite's own busy handler would have slept until its next retry, 78 ms after the commit.
    assert started[0] - committed[0] < 0.04
    assert set(Counter.objects.values_list("name", flat=True)) >= {"first", "second"}


def _fail_inside_a_transaction() -> None:
    with transaction.atomic():
        Counter.objects.create(name="gone", value=1)
        raise ZeroDivisionError


def test_a_rolled_back_or_failed_writer_lets_the_next_one_in() -> None:
    with pytest.raises(ZeroDivisionError):
        _fail_inside_a_transaction()
    results: list[str] = []

    def other() -> None:
        with transaction.atomic():
            Counter.objects.create(name="after", value=1)
        results.append("written")

    _in_thread(other).join(10)
    assert results == ["written"]
    assert not Counter.objects.filter(name="gone").exists()


def test_a_writer_that_waits_past_the_timeout_is_told_the_database_is_locked() -> None:
    holding, release, outcome = threading.Event(), threading.Event(), []

    def first() -> None:
        with transaction.atomic():
            Counter.objects.create(name="holder", value=1)
            holding.set()
            release.wait(10)

    def second() -> None:
        holding.wait()
        # This thread's connection only: wait 0.2 s, not the configured 30.
        options = {**connection.settings_dict["OPTIONS"], "timeout": 0.2}
        connection.settings_dict = {**connection.settings_dict, "OPTIONS": options}
        try:
            with transaction.atomic():
                Counter.objects.create(name="late", value=1)
            outcome.append("written")
        except OperationalError as exc:
            outcome.append(str(exc))

    holder = _in_thread(first)
    waiter = _in_thread(second)
    waiter.join(10)
    release.set()
    holder.join(10)
    assert outcome == ["database is locked"]


def test_the_log_is_copied_back_by_the_checkpointer_not_by_a_commit() -> None:
    # SQLite's own checkpoints (in whichever commit fills the log) are off for these connections.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 0
    checkpointer = checkpointer_for(str(connection.settings_dict["NAME"]))
    runs, frames = checkpointer.runs, checkpointer.frames
    for n in range(Checkpointer.EVERY_COMMITS):
        with transaction.atomic():
            Counter.objects.create(name=f"checkpointed-{n}", value=n)
    deadline = time.monotonic() + 5
    while checkpointer.frames == frames and time.monotonic() < deadline:
        time.sleep(0.02)
    assert checkpointer.runs > runs and checkpointer.frames > frames
