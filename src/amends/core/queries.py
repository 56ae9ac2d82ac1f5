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
from datetime import UTC, date, datetime, timedelta
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
_DATE_BASE = date(1901, 2, 3)
# ``tuple`` is a tuple of ints (``id__in=ids``): the SQL is built once for each length.
KINDS = (str, int, datetime, date, tuple)


def _placeholder(kind: type, index: int, length: int = 0) -> object:
    if kind is int:
        return _INT_BASE - 1000 * index
    if kind is str:
        return f"\x00amends-parameter-{index}\x00"
    if kind is datetime:
        return _DATETIME_BASE + timedelta(microseconds=index + 1)
    if kind is date:
        return _DATE_BASE + timedelta(days=index + 1)
    assert kind is tuple
    return tuple(_INT_BASE - 1000 * index - j - 1 for j in range(length))


class _Compiled:
    """One query as one connection's ORM built it: SQL, where each parameter goes, and how
    to turn rows into what the queryset would have returned."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        slots: dict[str, object],
        kinds: dict[str, type],
        alias: str,
    ) -> None:
        query = queryset.query
        ops = connections[alias].ops
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ValueError("a prepared query cannot prefetch")
        adapters: dict[type, Callable[[Any], object]] = {
            datetime: ops.adapt_datetimefield_value,
            date: ops.adapt_datefield_value,
        }
        self.adapt = {name: adapters.get(kind) for name, kind in kinds.items()}
        self.compiler = query.get_compiler(using=alias)
        sql, params = self.compiler.as_sql()
        self.sql = sql
        self.template = list(params)
        # (position in the parameters, parameter name, element of a tuple or None)
        self.positions: list[tuple[int, str, int | None]] = []
        for name, placeholder in slots.items():
            elements = placeholder if isinstance(placeholder, tuple) else (placeholder,)
            for j, element in enumerate(elements):
                wanted = self._adapted(name, element)
                found = [
                    i
                    for i, p in enumerate(self.template)
                    if type(p) is type(wanted) and p == wanted
                ]
                if not found:
                    raise ValueError(
                        f"parameter {name!r} was not used as a plain lookup value in the query"
                    )
                item = j if isinstance(placeholder, tuple) else None
                self.positions += [(i, name, item) for i in found]
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

    def _adapted(self, name: str, value: object) -> object:
        """A value as the ORM would pass it to the database driver."""
        adapt = self.adapt[name]
        return value if adapt is None else adapt(value)

    def run(self, values: dict[str, Any]) -> list[Any]:
        connection = connections[self.alias]
        if self.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(self.template)
        for index, name, item in self.positions:
            value = values[name] if item is None else values[name][item]
            params[index] = self._adapted(name, value)
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
    ``str``, an ``int``, an aware ``datetime`` or a ``date`` compared with a field of that kind,
    or a ``tuple`` of ints for an ``__in`` lookup (an empty tuple matches nothing; the SQL is
    built once for each power of two up to the tuple's length). The queryset's shape must not
    depend on the values, nor on settings: no branches on them. Then::

        CASE_BY_REFERENCE = Prepared(lambda reference: Case.objects.filter(reference=reference)[:1],
                                     reference=str)
        CASE_BY_REFERENCE.first(reference="C-2026-000123")

    returns what the queryset would (model instances with their ``select_related`` objects,
    ``values()`` dicts, ``values_list()`` tuples or flat values) and logs the SQL as Django does.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        for kind in kinds.values():
            if kind not in KINDS:
                raise TypeError(
                    f"a prepared query takes str, int, datetime, date and tuple, not {kind}"
                )
        self.build = build
        self.kinds = kinds
        self.key = object()

    def _compiled(self, alias: str, lengths: tuple[int, ...]) -> _Compiled:
        connection = connections[alias]
        # Django keeps one connection object per thread: caching on it keeps compilers (which
        # hold their connection) within the thread that made them.
        cache: dict[object, _Compiled] = connection.__dict__.setdefault("_amends_prepared", {})
        key = (self.key, lengths)
        compiled = cache.get(key)
        if compiled is None:
            sizes = iter(lengths)
            slots = {
                name: _placeholder(kind, i, next(sizes) if kind is tuple else 0)
                for i, (name, kind) in enumerate(self.kinds.items())
            }
            compiled = _Compiled(self.build(**slots), slots, self.kinds, alias)
            cache[key] = compiled
        return compiled

    def _check(self, values: dict[str, Any]) -> tuple[int, ...]:
        """Refuse values of the wrong kind; the lengths of the tuples."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected parameters {sorted(self.kinds)}, got {sorted(values)}")
        lengths = []
        for name, kind in self.kinds.items():
            value = values[name]
            if isinstance(value, datetime) and value.tzinfo is None:
                raise TypeError(f"parameter {name!r} must be a timezone-aware datetime")
            if kind is tuple:
                if not isinstance(value, tuple | list) or any(type(v) is not int for v in value):
                    raise TypeError(f"parameter {name!r} must be a tuple of ints")
                lengths.append(len(value))
            elif type(value) is not kind:
                raise TypeError(
                    f"parameter {name!r} must be {kind.__name__}, not {type(value).__name__}"
                )
        return tuple(lengths)

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[T]:
        lengths = self._check(values)
        if 0 in lengths:
            return []  # ``id__in=()`` matches nothing
        if lengths:
            # Tuples grow to the next power of two by repeating their last value, which an IN
            # list does not notice: a handful of SQL texts serve every length.
            sizes = tuple(1 << (n - 1).bit_length() for n in lengths)
            for name, size in zip(
                (n for n, k in self.kinds.items() if k is tuple), sizes, strict=True
            ):
                items = tuple(values[name])
                values = {**values, name: items + (items[-1],) * (size - len(items))}
            lengths = sizes
        return self._compiled(using, lengths).run(values)

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: object) -> T | None:
        """The first row, or None (slice the queryset to one row in ``build``)."""
        rows = self.all(using=using, **values)
        return rows[0] if rows else None
