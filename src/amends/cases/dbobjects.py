# ruff: noqa: S608 (constant SQL; no user input reaches these strings)
"""Full-text search indexes over case text (see ``amends.cases.search``)."""

from amends.cases.search import PG_DOCUMENT
from amends.core.database import DatabaseObject

_COLUMNS = "summary, description"

OBJECTS = [
    DatabaseObject(
        name="cases_case_fts",
        create={
            "sqlite": [
                "CREATE VIRTUAL TABLE IF NOT EXISTS cases_case_fts USING fts5("
                f"{_COLUMNS}, content='cases_case', content_rowid='id', "
                "tokenize='porter unicode61')",
                "CREATE TRIGGER IF NOT EXISTS cases_case_fts_ai AFTER INSERT ON cases_case BEGIN "
                f"INSERT INTO cases_case_fts(rowid, {_COLUMNS}) "
                "VALUES (new.id, new.summary, new.description); END",
                "CREATE TRIGGER IF NOT EXISTS cases_case_fts_ad AFTER DELETE ON cases_case BEGIN "
                f"INSERT INTO cases_case_fts(cases_case_fts, rowid, {_COLUMNS}) "
                "VALUES ('delete', old.id, old.summary, old.description); END",
                "CREATE TRIGGER IF NOT EXISTS cases_case_fts_au "
                "AFTER UPDATE OF summary, description ON cases_case BEGIN "
                f"INSERT INTO cases_case_fts(cases_case_fts, rowid, {_COLUMNS}) "
                "VALUES ('delete', old.id, old.summary, old.description); "
                f"INSERT INTO cases_case_fts(rowid, {_COLUMNS}) "
                "VALUES (new.id, new.summary, new.description); END",
            ],
            "postgresql": [
                "DROP INDEX IF EXISTS case_text_search_idx",
                "ALTER TABLE cases_case ADD COLUMN IF NOT EXISTS search_vector tsvector "
                f"GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED",
                "CREATE INDEX IF NOT EXISTS case_search_vector_idx ON cases_case "
                "USING GIN (search_vector)",
            ],
        },
        exists={
            # All three triggers: a table rebuild drops them together.
            "sqlite": (
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name IN "
                "('cases_case_fts_ai', 'cases_case_fts_ad', 'cases_case_fts_au') "
                "GROUP BY type HAVING count(*) = 3"
            ),
            "postgresql": "SELECT 1 FROM pg_indexes WHERE indexname = 'case_search_vector_idx'",
        },
        # Index whatever rows are there already (a new install has none).
        after_create={"sqlite": ["INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')"]},
    )
]
