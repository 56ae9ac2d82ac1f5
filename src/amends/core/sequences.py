"""Gap-free counters for public references, safe under concurrent writers."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from amends.core.models import Counter

_BUMP = "UPDATE core_counter SET value = value + 1 WHERE name = %s RETURNING value"


def next_number(name: str) -> int:
    """The next value of counter ``name``. Call inside the transaction that uses it.

    The UPDATE takes the row lock, so concurrent callers queue here and each gets its own
    value; RETURNING (SQLite 3.35+, PostgreSQL) makes it one round trip.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [name])
        row = cursor.fetchone()
        if row is not None:
            return int(row[0])
    try:
        with transaction.atomic():
            Counter.objects.create(name=name, value=1)
        return 1
    except IntegrityError:
        with connection.cursor() as cursor:
            cursor.execute(_BUMP, [name])
            return int(cursor.fetchone()[0])
