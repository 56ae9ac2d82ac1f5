from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from amends.core import timeline
from amends.core.errors import ConflictError
from amends.core.models import Event, StreamHead

pytestmark = pytest.mark.django_db


def _append(stream: str, n: int, now, **data):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return [
            timeline.record_event(
                stream=stream,
                type="thing.happened",
                actor=None,
                now=now + timedelta(seconds=i),
                data={"i": i, **data},
            )
            for i in range(n)
        ]


def test_events_chain_to_the_previous_event_and_the_head_tracks_the_newest(now):
    events = _append("thing:1", 3, now)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == timeline.GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = StreamHead.objects.get(stream="thing:1")
    assert (head.seq, head.hash) == (3, events[2].hash)
    assert timeline.verify().ok


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction(now):
    with pytest.raises(RuntimeError):
        timeline.record_event(stream="x:1", type="x.y", actor=None, now=now)


def test_record_event_refuses_naive_times(now):
    with transaction.atomic(), pytest.raises(ValueError, match="timezone"):
        timeline.record_event(stream="x:1", type="x.y", actor=None, now=now.replace(tzinfo=None))


def test_events_cannot_be_changed_or_deleted_through_the_orm(now):
    (event,) = _append("thing:2", 1, now)
    event.type = "thing.rewritten"
    with pytest.raises(ConflictError):
        event.save()
    with pytest.raises(ConflictError):
        event.delete()
    with pytest.raises(ConflictError):
        Event.objects.filter(pk=event.pk).update(type="x")
    with pytest.raises(ConflictError):
        Event.objects.filter(pk=event.pk).delete()


def test_the_database_itself_refuses_to_update_an_event(now):
    (event,) = _append("thing:3", 1, now)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_event SET type = 'x' WHERE id = %s", [event.pk])


def _tamper(sql: str, params: list) -> None:  # type: ignore[type-arg]
    """Change the table behind the application's back, as an intruder with database access."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the session, as an intruder would.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER core_event_no_update")
            cursor.execute(sql, params)
            from amends.core.database import ensure_objects

            ensure_objects()


def test_verify_finds_an_altered_event(now):
    events = _append("thing:4", 3, now)
    _append("thing:5", 2, now)
    _tamper("UPDATE core_event SET data = %s WHERE id = %s", ['{"i": 99}', events[1].pk])
    report = timeline.verify()
    assert not report.ok
    assert report.broken_streams == ["thing:4"]
    assert [(p.seq, p.kind) for p in report.problems] == [(2, "altered")]


def test_verify_finds_a_removed_event_in_the_middle_and_at_the_end(now):
    events = _append("thing:6", 4, now)
    _tamper("DELETE FROM core_event WHERE id = %s", [events[1].pk])
    _tamper("DELETE FROM core_event WHERE id = %s", [events[3].pk])
    kinds = {p.kind for p in timeline.verify().problems}
    assert kinds == {"missing", "truncated"}


def test_a_checkpoint_catches_a_history_cut_back_with_its_head(now):
    events = _append("thing:7", 3, now)
    checkpoint = timeline.checkpoint_heads()
    _tamper("DELETE FROM core_event WHERE id = %s", [events[2].pk])
    StreamHead.objects.filter(stream="thing:7").update(seq=2, hash=events[1].hash)
    assert timeline.verify().ok  # the chain alone cannot tell
    report = timeline.verify(checkpoint=checkpoint)
    assert [(p.stream, p.kind) for p in report.problems] == [("thing:7", "behind_checkpoint")]


def test_a_changed_audit_key_breaks_every_chain(now, settings):
    _append("thing:8", 2, now)
    settings.AUDIT_KEY = "another key"
    assert {p.kind for p in timeline.verify().problems} == {"altered"}


def test_values_are_stored_exactly_as_hashed(now):
    from decimal import Decimal

    (event,) = _append("thing:9", 1, now, amount=Decimal("12.50"), when=now, ratio=0.1)
    stored = Event.objects.get(pk=event.pk)
    assert stored.data["amount"] == "12.50"
    assert stored.data["ratio"] == "0.1"
    assert timeline.verify().ok


@pytest.mark.django_db(transaction=True)
def test_subscribers_run_only_after_commit(now):
    seen: list[int] = []
    timeline.subscribe("thing.*", seen.append)
    try:
        try:
            with transaction.atomic():
                timeline.record_event(stream="thing:10", type="thing.made", actor=None, now=now)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert seen == []
        with transaction.atomic():
            event = timeline.record_event(stream="thing:10", type="thing.made", actor=None, now=now)
            assert seen == []
        assert seen == [event.pk]
    finally:
        timeline.unsubscribe("thing.*", seen.append)
