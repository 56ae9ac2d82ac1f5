"""Inserts and updates on the hot paths, with their SQL built once.

Each case change writes a handful of rows (the case, its event, its stream head, its clocks).
Through ``Model.save()`` or ``QuerySet.update()`` Django builds each statement anew: about
0.1 ms of Python a statement on the benchmark machine, several times what the database spends.
These two functions build the SQL from the model's fields once per model and shape, and prepare
each value with the field's own ``get_db_prep_save``, as the ORM does.

They skip ``save()`` and its signals. So they refuse a model that has ``pre_save`` or
``post_save`` receivers: use the ORM for those. They speak SQLite and PostgreSQL (both have
``RETURNING``), the two databases Amends runs on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save


def _check_no_receivers(model: type[Model]) -> None:
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise ImproperlyConfigured(
            f"{model.__name__} has save signal receivers: write it with the ORM, not "
            "amends.core.statements"
        )


@lru_cache(maxsize=64)
def _insert_plan(
    model: type[Model], alias: str, vendor: str, with_key: bool, rows: int = 1
) -> tuple[str, tuple[Field[Any, Any], ...], bool]:
    """The INSERT of ``rows`` rows of ``model``; ``with_key=False`` leaves the generated key to
    the database and reads it back with RETURNING. ``rows=0`` on PostgreSQL: any number of rows,
    each column's values in one array parameter (``UNNEST``, as Django's ``bulk_create`` does),
    so that one statement serves every count and stays within psycopg's cache of converted
    queries (50 parameters at most)."""
    meta = model._meta
    pk = meta.pk
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if not getattr(f, "generated", False) and (with_key or f is not pk)
    )
    ops = connections[alias].ops
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    if rows:
        marks = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
        values = f"VALUES {marks}"
    else:
        connection = connections[alias]
        types = [f.db_type(connection).split("(")[0] for f in fields]  # type: ignore[union-attr]
        arrays = ", ".join(f"(%s)::{t}[]" for t in types)
        values = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608 (types, not values)
    # Identifiers and types come from the model's metadata; every value is a bound parameter.
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) {values}"
    returning = not with_key
    if returning:
        assert pk is not None
        sql += f" RETURNING {ops.quote_name(pk.column)}"
    return sql, fields, returning


def _unnestable(model: type[Model]) -> bool:
    """Whether every column's values can travel as one array (see ``_insert_plan``)."""
    return not any(hasattr(f, "get_placeholder") for f in model._meta.local_concrete_fields)


def insert(obj: Model, *, using: str = DEFAULT_DB_ALIAS) -> Model:
    """Insert ``obj`` as ``obj.save(force_insert=True)`` would, and set its primary key."""
    model = type(obj)
    _check_no_receivers(model)
    # As save() does: refuse an unsaved related object, take the id of one saved since.
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    connection = connections[using]
    generated = isinstance(model._meta.pk, AutoFieldMixin) and obj.pk is None
    sql, fields, returning = _insert_plan(model, using, connection.vendor, not generated)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj


def insert_all(objs: Sequence[Model], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert a few new rows of one model in one statement, and set their keys (for many,
    use ``bulk_create``). Like ``bulk_create``, it takes the keys in the order of the rows."""
    if not objs:
        return
    model = type(objs[0])
    pk = model._meta.pk
    generated = isinstance(pk, AutoFieldMixin) and all(o.pk is None for o in objs)
    if len(objs) == 1 or not generated or any(type(o) is not model for o in objs):
        for obj in objs:
            insert(obj, using=using)
        return
    _check_no_receivers(model)
    connection = connections[using]
    by_column = connection.vendor == "postgresql" and _unnestable(model)
    sql, fields, _ = _insert_plan(
        model, using, connection.vendor, False, 0 if by_column else len(objs)
    )
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        rows.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    if by_column:
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    if len(keys) != len(objs):
        raise RuntimeError(f"{model.__name__}: {len(objs)} rows inserted, {len(keys)} keys back")
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = using


def _concrete(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


@lru_cache(maxsize=256)
def _update_plan(
    model: type[Model],
    alias: str,
    vendor: str,
    columns: tuple[str, ...],
    where: tuple[str, ...],
    increment: tuple[str, ...],
) -> tuple[str, tuple[Field[Any, Any], ...], tuple[Field[Any, Any], ...]]:
    quote = connections[alias].ops.quote_name
    set_fields = tuple(_concrete(model, name) for name in columns)
    where_fields = tuple(_concrete(model, name) for name in where)
    assignments = [f"{quote(str(f.column))} = %s" for f in set_fields]
    for name in increment:
        column = quote(str(_concrete(model, name).column))
        assignments.append(f"{column} = {column} + 1")
    conditions = " AND ".join(f"{quote(str(f.column))} = %s" for f in where_fields)
    table = quote(model._meta.db_table)
    # Identifiers come from the model's metadata, quoted; every value is a bound parameter.
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {conditions}"  # noqa: S608
    return sql, set_fields, where_fields


def update_where(
    model: type[Model],
    *,
    where: Mapping[str, Any],
    values: Mapping[str, Any],
    increment: tuple[str, ...] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """``UPDATE`` the rows whose fields equal ``where``: set ``values`` and add one to each
    field in ``increment``. Returns how many rows changed, as ``QuerySet.update`` does.

    Field names may be attribute names (``case_id``) or field names (``case`` with an id)."""
    if not where:
        raise ValueError("update_where needs a condition")
    if not values and not increment:
        raise ValueError("update_where needs something to change")
    connection = connections[using]
    sql, set_fields, where_fields = _update_plan(
        model, using, connection.vendor, tuple(values), tuple(where), increment
    )
    params = [
        f.get_db_prep_save(_key(value), connection)
        for f, value in zip(set_fields, values.values(), strict=True)
    ]
    params += [
        f.get_db_prep_value(_key(value), connection, prepared=False)
        for f, value in zip(where_fields, where.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _key(value: Any) -> Any:
    """A model instance given for a foreign key stands for its primary key."""
    return value.pk if isinstance(value, Model) else value
