# ruff: noqa: S611 (user text is always a bound parameter, never part of the SQL)
"""Full-text search over case text, with each database's own index.

SQLite: an FTS5 table (``cases_case_fts``) kept in step by triggers. PostgreSQL: a stored,
generated ``search_vector`` column with a GIN index. Both are created by ``dbobjects.py``
after every migrate, and used through the two functions here.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

PG_DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(summary, '') || ' ' || coalesce(description, ''))"
)

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:16]


def _match(tokens: list[str]) -> tuple[str, str]:
    """(SQL selecting matching ids, its parameter) for this database."""
    if connection.vendor == "postgresql":
        return (
            "SELECT id FROM cases_case "
            "WHERE search_vector @@ plainto_tsquery('english'::regconfig, %s)",
            " ".join(tokens),
        )
    return (
        "SELECT rowid AS id FROM cases_case_fts WHERE cases_case_fts MATCH %s",
        " ".join(f'"{t}"' for t in tokens),
    )


def text_filter(text: str) -> Q | None:
    """A filter on cases whose text has every word of ``text``; None when it has no words.

    On PostgreSQL it is a condition on the row itself, so that the planner can choose between
    the GIN index (a rare word) and walking the newest cases (a common one)."""
    tokens = words(text)
    if not tokens:
        return None
    if connection.vendor == "postgresql":
        return Q(
            RawSQL(
                "search_vector @@ plainto_tsquery('english'::regconfig, %s)",
                [" ".join(tokens)],
                output_field=BooleanField(),
            )
        )
    sql, param = _match(tokens)
    return Q(id__in=RawSQL(sql, [param]))


def matching_ids(
    text: str, *, limit: int, before: int | None = None, after: int | None = None
) -> list[int]:
    """Ids of cases whose text has every word of ``text``: the newest first (below ``before``),
    or the oldest first (above ``after``). Both indexes give these in id order, so a search
    reads only as many matches as it shows."""
    tokens = words(text)
    if not tokens:
        return []
    sql, param = _match(tokens)
    column = "id" if connection.vendor == "postgresql" else "rowid"
    params: list[str | int] = [param]
    if before is not None:
        sql += f" AND {column} < %s"
        params.append(before)
    if after is not None:
        sql += f" AND {column} > %s"
        params.append(after)
    sql += f" ORDER BY {column} {'ASC' if after is not None else 'DESC'} LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
