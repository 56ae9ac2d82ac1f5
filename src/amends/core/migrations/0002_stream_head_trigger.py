"""Stream heads move with their events, by a trigger (``core/dbobjects.py``): from this release
on the application no longer writes them. The trigger is also re-created after every migrate
(SQLite drops triggers when it rebuilds a table); this migration makes an upgrade that skipped
``amends migrate`` show as unapplied, instead of events failing on a head that never moves."""

from typing import Any

from django.db import migrations

from amends.core.dbobjects import OBJECTS

_HEAD = next(o for o in OBJECTS if o.name == "core_event_head")
_DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_event_head"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_event_head ON core_event",
        "DROP FUNCTION IF EXISTS core_event_head()",
    ],
}


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_run(_HEAD.create), _run(_DROP))]
