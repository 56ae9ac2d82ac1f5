"""Prepared queries give exactly what the ORM gives, with new values in the same SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from amends.cases.models import Case
from amends.core.models import Event, StreamHead
from amends.core.queries import Prepared

pytestmark = pytest.mark.django_db

BY_REFERENCE: Prepared[Case] = Prepared(
    lambda reference: Case.objects.select_related(
        "customer", "team", "assignee", "category"
    ).filter(reference=reference)[:1],
    reference=str,
)


def _same(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    fields = [f.attname for f in a._meta.concrete_fields]
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]


def test_a_model_with_its_related_objects_matches_the_orm(make_case: Callable[..., Case]) -> None:
    first, second = make_case(), make_case(assignee=None)
    for case in (first, second):
        orm = Case.objects.select_related("customer", "team", "assignee", "category").get(
            pk=case.pk
        )
        prepared = BY_REFERENCE.first(reference=case.reference)
        assert prepared is not None
        _same(orm, prepared)
        _same(orm.customer, prepared.customer)
        _same(orm.team, prepared.team)
        assert prepared.category is not None and orm.category is not None
        assert prepared.category.slug == orm.category.slug
        assert prepared.received_at.tzinfo is not None
        assert not prepared._state.adding
        with CaptureQueriesContext(connection) as queries:
            assert prepared.customer.reference == case.customer.reference
            assert prepared.team.slug == case.team.slug
        assert len(queries) == 0  # loaded with the case, as select_related does


def test_unknown_values_give_nothing(make_case: Callable[..., Case]) -> None:
    make_case()
    assert BY_REFERENCE.first(reference="C-1999-000001") is None
    assert BY_REFERENCE.all(reference="C-1999-000001") == []


def test_the_sql_is_built_once_and_logged_each_time(make_case: Callable[..., Case]) -> None:
    a, b = make_case(), make_case()
    with CaptureQueriesContext(connection) as queries:
        found = [BY_REFERENCE.first(reference=c.reference) for c in (a, b, a)]
    assert [c.pk for c in found if c] == [a.pk, b.pk, a.pk]
    assert len(queries) == 3
    assert len({q["sql"].replace(a.reference, "?").replace(b.reference, "?") for q in queries}) == 1


def test_values_flat_values_and_datetimes(make_case: Callable[..., Case], now: datetime) -> None:
    case = make_case()
    events: Prepared[tuple[str, int]] = Prepared(
        lambda stream, since: (
            Event.objects.filter(stream=stream, occurred_at__gte=since)
            .order_by("seq")
            .values_list("type", "seq")
        ),
        stream=str,
        since=datetime,
    )
    orm = list(
        Event.objects.filter(stream=case.stream, occurred_at__gte=now - timedelta(days=1))
        .order_by("seq")
        .values_list("type", "seq")
    )
    assert orm and events.all(stream=case.stream, since=now - timedelta(days=1)) == orm
    assert events.all(stream=case.stream, since=now + timedelta(days=1)) == []
    flat: Prepared[int] = Prepared(
        lambda pk: Case.objects.filter(pk=pk).values_list("version", flat=True), pk=int
    )
    assert flat.all(pk=case.pk) == [case.version]
    dicts: Prepared[dict[str, Any]] = Prepared(
        lambda pk: Case.objects.filter(pk=pk).values("reference", "team__slug"), pk=int
    )
    assert dicts.all(pk=case.pk) == [{"reference": case.reference, "team__slug": case.team.slug}]


@pytest.mark.django_db(transaction=True)
def test_locking_reads_need_a_transaction(make_case: Callable[..., Case]) -> None:
    case = make_case()
    head: Prepared[StreamHead] = Prepared(
        lambda stream: StreamHead.objects.select_for_update().filter(stream=stream)[:1],
        stream=str,
    )
    with transaction.atomic():
        found = head.first(stream=case.stream)
        assert found is not None and found.seq >= 1
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            head.first(stream=case.stream)


def test_parameters_are_checked() -> None:
    with pytest.raises(TypeError, match="must be str, not int"):
        BY_REFERENCE.first(reference=5)
    with pytest.raises(TypeError, match="expected parameters"):
        BY_REFERENCE.first(ref="C-2026-000001")
    since: Prepared[int] = Prepared(
        lambda at: Case.objects.filter(received_at__gte=at).values_list("id", flat=True),
        at=datetime,
    )
    with pytest.raises(TypeError, match="timezone-aware"):
        since.all(at=datetime(2026, 1, 1))
    with pytest.raises(TypeError, match="str, int, datetime, date and tuple"):
        Prepared(lambda x: Case.objects.filter(severity=x), x=float)


def test_a_parameter_the_query_does_not_use_as_it_is_is_refused() -> None:
    # A lookup that rewrites its value (here, wrapped in % for LIKE) cannot be prepared.
    contains: Prepared[Case] = Prepared(
        lambda text: Case.objects.filter(summary__contains=text), text=str
    )
    with pytest.raises(ValueError, match="not used as a plain lookup value"):
        contains.all(text="refund")


def test_tuples_of_ids_are_built_once_per_length(
    make_case: Callable[..., Case], now: datetime
) -> None:
    cases = [make_case() for _ in range(3)]
    by_ids: Prepared[str] = Prepared(
        lambda ids, day: (
            Case.objects.filter(id__in=ids, received_at__date__gte=day)
            .order_by("id")
            .values_list("reference", flat=True)
        ),
        ids=tuple,
        day=date,
    )
    refs = [c.reference for c in cases]
    pks = tuple(c.pk for c in cases)
    today = now.date()
    assert by_ids.all(ids=pks, day=today) == refs
    assert by_ids.all(ids=pks[:2], day=today) == refs[:2]
    assert by_ids.all(ids=[pks[2], pks[0]], day=today) == [refs[0], refs[2]]
    assert by_ids.all(ids=pks, day=today + timedelta(days=1)) == []
    assert by_ids.all(ids=(), day=today) == []
    with CaptureQueriesContext(connection) as queries:
        by_ids.all(ids=pks, day=today)
    in_list = queries[0]["sql"].split(" IN (", 1)[1].split(")", 1)[0]
    assert [int(v) for v in in_list.split(", ")] == [*pks, pks[2]]  # three ids, padded to four
    with pytest.raises(TypeError, match="tuple of ints"):
        by_ids.all(ids=("1",), day=today)
