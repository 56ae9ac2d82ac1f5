# ruff: noqa: S608 (constant SQL; no user input reaches these strings)
"""Database objects Django's migrations do not manage: triggers and full-text indexes.

Each app lists what it needs per database vendor; after every ``migrate`` they are (re)created
if missing. SQLite rebuilds a table when a migration alters it, which drops its triggers, so
checking after each migrate is what keeps them there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class DatabaseObject:
    name: str
    create: dict[str, list[str]]  # vendor -> statements, run in order
    exists: dict[str, str] = field(default_factory=dict)  # vendor -> query returning a row
    after_create: dict[str, list[str]] = field(default_factory=dict)  # e.g. rebuild an index


_registry: list[DatabaseObject] = []


def register(*objects: DatabaseObject) -> None:
    for obj in objects:
        if all(o.name != obj.name for o in _registry):
            _registry.append(obj)


def ensure_objects(using: str = "default", **_: Any) -> list[str]:
    """Create what is missing; returns the names created."""
    connection = connections[using]
    vendor = connection.vendor
    created = []
    with connection.cursor() as cursor:
        for obj in _registry:
            statements = obj.create.get(vendor)
            if not statements:
                continue
            probe = obj.exists.get(vendor)
            if probe:
                cursor.execute(probe)
                if cursor.fetchone():
                    continue
            for sql in statements + obj.after_create.get(vendor, []):
                cursor.execute(sql)
            created.append(obj.name)
    return created


def post_migrate_handler() -> Callable[..., None]:
    def handler(sender: Any, using: str = "default", **kwargs: Any) -> None:
        ensure_objects(using)

    return handler


def sqlite_trigger_exists(name: str) -> str:
    return f"SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = '{name}'"


def pg_trigger_exists(name: str) -> str:
    return f"SELECT 1 FROM pg_trigger WHERE tgname = '{name}'"


def unmigrated() -> str | None:
    """Why the database is not ready for this code (migrations not applied), or None. The
    server and the worker refuse to start on such a database rather than fail request by
    request on a table or trigger that is not there yet."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return None
    return (
        f"the database needs 'amends migrate' first ({len(plan)} migration(s) not applied, "
        f"starting with {plan[0][0].app_label}.{plan[0][0].name})"
    )
