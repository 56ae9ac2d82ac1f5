"""Triggers on timeline events: append-only in the database itself, and each stream's head
moved by the database as each event goes in (one statement fewer for every change)."""

from amends.core.database import DatabaseObject, pg_trigger_exists, sqlite_trigger_exists

_MESSAGE = "timeline events are append-only"

OBJECTS = [
    DatabaseObject(
        name="core_event_append_only",
        create={
            # SQLite: updates only. Deletes stay possible there for the test suite's flush;
            # the hash chain and stream heads expose any deletion.
            "sqlite": [
                "CREATE TRIGGER IF NOT EXISTS core_event_no_update BEFORE UPDATE ON core_event "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            ],
            "postgresql": [
                "CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$",
                "CREATE OR REPLACE TRIGGER core_event_append_only BEFORE UPDATE OR DELETE "
                "ON core_event FOR EACH ROW EXECUTE FUNCTION core_event_append_only()",
            ],
        },
        exists={
            "sqlite": sqlite_trigger_exists("core_event_no_update"),
            "postgresql": pg_trigger_exists("core_event_append_only"),
        },
    ),
    DatabaseObject(
        name="core_event_head",
        create={
            # The head row is the stream's newest event: written by the same statement as it.
            "sqlite": [
                "CREATE TRIGGER IF NOT EXISTS core_event_head AFTER INSERT ON core_event BEGIN "
                "INSERT INTO core_streamhead (stream, seq, hash) "
                "VALUES (new.stream, new.seq, new.hash) "
                "ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, hash = excluded.hash; END"
            ],
            "postgresql": [
                "CREATE OR REPLACE FUNCTION core_event_head() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN INSERT INTO core_streamhead (stream, seq, hash) "
                "VALUES (NEW.stream, NEW.seq, NEW.hash) ON CONFLICT (stream) "
                "DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash; RETURN NULL; END $$",
                "CREATE OR REPLACE TRIGGER core_event_head AFTER INSERT ON core_event "
                "FOR EACH ROW EXECUTE FUNCTION core_event_head()",
            ],
        },
        exists={
            "sqlite": sqlite_trigger_exists("core_event_head"),
            "postgresql": pg_trigger_exists("core_event_head"),
        },
    ),
]
