"""Small query helpers shared by selectors and access checks.

:class:`Prepared` is for the few queries that every request runs (the case behind a URL, the
stream head of an event, the clocks of a case). Django builds a query's SQL anew each time it
runs it, and on those paths that costs more than the database does: 0.3-0.9 ms a query on the
benchmark machine, against about 0.1 ms to run the same SQL. ``Prepared`` lets the ORM build
the query once per database connection and afterwards only puts new values in its parameters:
the same SQL, the same value converters and the same model instances as the ORM gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # not in django-stubs
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def one(queryset: QuerySet[M]) -> M | None:
    """The row of a lookup on a unique key, or None.

    Unlike ``.first()`` it adds no ORDER BY, which for a unique key only costs query-building
    time (a noticeable share of a request on the hot paths).
    """
    return next(iter(queryset[:1]), None)


# Stand-ins for the parameters while the ORM builds the SQL: values no caller would pass, of
# the type the lookup expects, so that the ORM's own preparation leaves them as they are.
_INT_BASE = -(2**62)


_DATETIME_BASE = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
KINDS = (str, int, datetime)


def _placeholder(kind: type, index: int) -> object:
    if kind is int:
        return _INT_BASE - index
    if kind is str:
        return f"\x00amends-parameter-{index}\x00"
    if kind is datetime:
        return _DATETIME_BASE + timedelta(microseconds=index + 1)
    raise TypeError(f"a prepared query takes str, int and datetime parameters, not {kind}")


class _Compiled:
    """One query as one connection's ORM built it: SQL, where each parameter goes, and how
    to turn rows into what the queryset would have returned."""

    def __init__(self, queryset: QuerySet[Any], slots: dict[str, object], alias: str) -> None:
        query = queryset.query
        self.ops = connections[alias].ops
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ValueError("a prepared query cannot prefetch")
        self.compiler = query.get_compiler(using=alias)
        sql, params = self.compiler.as_sql()
        self.sql = sql
        self.template = list(params)
        self.positions: list[tuple[int, str]] = []
        self.datetimes = {n for n, p in slots.items() if isinstance(p, datetime)}
        for name, placeholder in slots.items():
            wanted = self._adapt(name, placeholder)
            found = [
                i for i, p in enumerate(self.template) if type(p) is type(wanted) and p == wanted
            ]
            if not found:
                raise ValueError(
                    f"parameter {name!r} was not used as a plain lookup value in the query"
                )
            self.positions += [(i, name) for i in found]
        self.for_update = bool(query.select_for_update)
        compiler = self.compiler
        self.col_count = compiler.col_count
        self.trim = compiler.has_extra_select
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        self.iterable = queryset._iterable_class
        self.alias = alias
        if self.iterable is ModelIterable:
            klass_info = compiler.klass_info
            select = compiler.select
            self.model = klass_info["model"]
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.model_slice = slice(start, end)
            self.init_list = [f[0].target.attname for f in select[start:end]]
            self.populators = get_related_populators(klass_info, select, alias)
            self.annotations = dict(compiler.annotation_col_map or {})
        elif self.iterable is ValuesIterable:
            self.names = (
                list(query.selected)
                if query.selected
                else [*query.extra_select, *query.values_select, *query.annotation_select]
            )
        elif self.iterable not in (ValuesListIterable, FlatValuesListIterable):
            raise ValueError(f"a prepared query cannot return {self.iterable.__name__} rows")

    def _adapt(self, name: str, value: object) -> object:
        """A value as the ORM would pass it to the database driver."""
        if name in self.datetimes:
            assert isinstance(value, datetime)
            return self.ops.adapt_datetimefield_value(value)
        return value

    def run(self, values: dict[str, object]) -> list[Any]:
        connection = connections[self.alias]
        if self.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(self.template)
        for index, name in self.positions:
            params[index] = self._adapt(name, values[name])
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows: Sequence[Any] = cursor.fetchall()
        if self.trim:
            rows = [row[: self.col_count] for row in rows]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if self.iterable is ModelIterable:
            return [self._instance(row) for row in rows]
        if self.iterable is ValuesIterable:
            return [dict(zip(self.names, row, strict=True)) for row in rows]
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]

    def _instance(self, row: Sequence[Any]) -> Model:
        obj = self.model.from_db(self.alias, self.init_list, row[self.model_slice])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, position in self.annotations.items():
            setattr(obj, name, row[position])
        return obj


class Prepared(Generic[T]):
    """A query whose SQL the ORM builds once per database connection.

    ``build`` receives one stand-in value per parameter and returns the queryset; each
    parameter must be used as a plain lookup value (``filter(reference=reference)``), and is a
    ``str``, an ``int`` or an aware ``datetime`` compared with a date-time field (``kinds``).
    The queryset's shape must not depend on the values, nor on settings: no lists whose length
    varies, no branches on them. Then::

        CASE_BY_REFERENCE = Prepared(lambda reference: Case.objects.filter(reference=reference)[:1],
                                     reference=str)
        CASE_BY_REFERENCE.first(reference="C-2026-000123")

    returns what the queryset would (model instances with their ``select_related`` objects,
    ``values()`` dicts, ``values_list()`` tuples or flat values) and logs the SQL as Django does.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        for kind in kinds.values():
            if kind not in KINDS:
                raise TypeError(f"a prepared query takes str, int and datetime, not {kind}")
        self.build = build
        self.slots = {name: _placeholder(kind, i) for i, (name, kind) in enumerate(kinds.items())}
        self.kinds = kinds
        self.key = object()

    def _compiled(self, alias: str) -> _Compiled:
        connection = connections[alias]
        # Django keeps one connection object per thread: caching on it keeps compilers (which
        # hold their connection) within the thread that made them.
        cache: dict[object, _Compiled] = connection.__dict__.setdefault("_amends_prepared", {})
        compiled = cache.get(self.key)
        if compiled is None:
            compiled = _Compiled(self.build(**self.slots), self.slots, alias)
            cache[self.key] = compiled
        return compiled

    def _check(self, values: dict[str, object]) -> None:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected parameters {sorted(self.kinds)}, got {sorted(values)}")
        for name, value in values.items():
            if isinstance(value, datetime) and value.tzinfo is None:
                raise TypeError(f"parameter {name!r} must be a timezone-aware datetime")
            if type(value) is not self.kinds[name]:
                raise TypeError(
                    f"parameter {name!r} must be {self.kinds[name].__name__}, "
                    f"not {type(value).__name__}"
                )

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **values: object) -> list[T]:
        self._check(values)
        return self._compiled(using).run(values)

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: object) -> T | None:
        """The first row, or None (slice the queryset to one row in ``build``)."""
        rows = self.all(using=using, **values)
        return rows[0] if rows else None
