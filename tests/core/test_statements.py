"""Hot-path inserts and updates write what the ORM would, and refuse what they cannot do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import User
from amends.cases.models import Case
from amends.core import statements
from amends.core.models import Event, StreamHead
from amends.sla.models import CaseClock, ServiceLevelPolicy

pytestmark = pytest.mark.django_db


def test_an_inserted_row_reads_back_as_the_orm_wrote_it(agent: User, now: datetime) -> None:
    event = Event(
        stream="test:1",
        seq=1,
        type="test.happened",
        occurred_at=now,
        actor=agent,
        actor_label=agent.username,
        data={"words": "naïve café", "amount": "12.50", "nested": {"list": [1, 2]}},
        prev_hash="0" * 64,
        hash="1" * 64,
    )
    statements.insert(event)
    assert event.pk is not None and not event._state.adding
    stored = Event.objects.get(pk=event.pk)
    assert (stored.stream, stored.seq, stored.type, stored.actor_id) == (
        "test:1",
        1,
        "test.happened",
        agent.pk,
    )
    assert stored.occurred_at == now and stored.data == event.data
    second = statements.insert(
        Event(
            stream="test:1",
            seq=2,
            type="test.again",
            occurred_at=now,
            actor_label="system",
            prev_hash="1" * 64,
            hash="2" * 64,
        )
    )
    assert second.pk > event.pk and Event.objects.get(pk=second.pk).data == {}


def test_a_row_with_its_own_key_is_inserted_with_it() -> None:
    statements.insert(StreamHead(stream="test:own-key", seq=3, hash="f" * 64))
    assert StreamHead.objects.get(stream="test:own-key").seq == 3


def test_an_update_changes_only_matching_rows_and_counts_them(
    make_case: Callable[..., Case], now: datetime
) -> None:
    case = make_case()
    clock = CaseClock.objects.filter(case=case).order_by("id").first()
    assert clock is not None
    later = now + timedelta(days=1)
    changed = statements.update_where(
        CaseClock, where={"id": clock.pk}, values={"stopped_at": later, "met": True}
    )
    clock.refresh_from_db()
    assert changed == 1 and clock.stopped_at == later and clock.met is True
    others = CaseClock.objects.filter(case=case).exclude(pk=clock.pk)
    assert all(c.stopped_at is None for c in others)
    version = case.version
    assert (
        statements.update_where(
            Case,
            where={"id": case.pk, "version": version + 7},
            values={"summary": "never"},
            increment=("version",),
        )
        == 0
    )
    assert (
        statements.update_where(
            Case,
            where={"id": case.pk, "version": version},
            values={"summary": "Changed", "assignee": None},
            increment=("version",),
        )
        == 1
    )
    case.refresh_from_db()
    assert (case.summary, case.assignee_id, case.version) == ("Changed", None, version + 1)


def test_a_model_instance_stands_for_its_key(make_case: Callable[..., Case], lead: User) -> None:
    case = make_case()
    statements.update_where(Case, where={"id": case.pk}, values={"assignee": lead})
    case.refresh_from_db()
    assert case.assignee_id == lead.pk


def test_models_with_save_receivers_are_refused() -> None:
    policy = ServiceLevelPolicy(name="First response", target="first_response", count=3)
    with pytest.raises(ImproperlyConfigured, match="save signal receivers"):
        statements.insert(policy)
    assert not ServiceLevelPolicy.objects.exists()


def test_an_unsaved_related_object_is_refused(make_case: Callable[..., Case]) -> None:
    case = make_case()
    with pytest.raises(ValueError, match="unsaved related object"):
        statements.insert(
            Event(
                stream="test:2",
                seq=1,
                type="t",
                occurred_at=case.created_at,
                actor=User(username="ghost"),
                actor_label="ghost",
                prev_hash="0" * 64,
                hash="1" * 64,
            )
        )


def test_updates_need_a_condition_and_a_change() -> None:
    with pytest.raises(ValueError, match="condition"):
        statements.update_where(Case, where={}, values={"summary": "x"})
    with pytest.raises(ValueError, match="something to change"):
        statements.update_where(Case, where={"id": 1}, values={})
    with pytest.raises(ValueError, match="not a column"):
        statements.update_where(Case, where={"id": 1}, values={"clocks": 1})


def test_several_rows_go_in_one_statement_and_get_their_keys_in_order(
    make_case: Callable[..., Case], now: datetime
) -> None:
    case = make_case()
    clocks = [
        CaseClock(case=case, pack="test", rule=f"rule-{i}", title=f"Rule {i}", updated_at=now)
        for i in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        statements.insert_all(clocks)
    assert len(queries) == 1
    assert all(c.pk is not None and not c._state.adding for c in clocks)
    stored = {c.pk: c.rule for c in CaseClock.objects.filter(pack="test")}
    assert stored == {c.pk: c.rule for c in clocks}
    statements.insert_all([])  # nothing to do


def test_rows_of_every_kind_of_value_read_back_as_written_whatever_their_number(
    make_case: Callable[..., Case], now: datetime
) -> None:
    case = make_case()
    sql: list[str] = []
    for count in (2, 5):
        clocks = [
            CaseClock(
                case=case,
                pack=f"test-{count}",
                rule=f"rule-{i}",
                title=f"Rule {i}: naïve café",
                basis="2 working days",
                verified=i % 2 == 0,
                started_on=now.date() if i else None,
                due_on=(now + timedelta(days=i)).date(),
                due_at=now + timedelta(hours=i) if i % 2 else None,
                extended_by=i,
                met=None if i else False,
                updated_at=now,
            )
            for i in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            statements.insert_all(clocks)
        assert len(queries) == 1
        sql.append(queries[0]["sql"])
        fields = ["rule", "title", "verified", "started_on", "due_on", "due_at", "met"]
        fields += ["extended_by"]
        stored = list(CaseClock.objects.filter(pack=f"test-{count}").order_by("id").values(*fields))
        assert stored == [{f: getattr(c, f) for f in fields} for c in clocks]
        assert [c.pk for c in clocks] == sorted(c.pk for c in clocks)
    if connection.vendor == "postgresql":
        # Each column's values go in one array: the statement does not grow with the rows.
        assert "UNNEST" in sql[0] and sql[0].count("[]") == sql[1].count("[]")
