"""case search index: an FTS5 trigram index over consultation_case.search_text

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:10:00

The index holds no text of its own (external content): it points at
consultation_case.search_text, and three triggers keep it current in the same
transaction as every INSERT, UPDATE OF search_text and DELETE of a case. The trigram
tokenizer is case-sensitive because the stored text is already folded
(pfdesk.core.kana.fold lowers case); a phrase query then matches exactly the
substrings LIKE '%term%' matches, for terms of three characters or more.

A later batch migration that recreates consultation_case drops these triggers with
the old table: such a migration must create them again (tests/store check they exist).
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE VIRTUAL TABLE case_search USING fts5("
    "search_text, content='consultation_case', content_rowid='id', "
    "tokenize='trigram case_sensitive 1')",
    "CREATE TRIGGER case_search_insert AFTER INSERT ON consultation_case BEGIN "
    "INSERT INTO case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER case_search_delete AFTER DELETE ON consultation_case BEGIN "
    "INSERT INTO case_search(case_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER case_search_update AFTER UPDATE OF search_text ON consultation_case BEGIN "
    "INSERT INTO case_search(case_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO case_search(case_search) VALUES ('rebuild')",
)


#: On PostgreSQL the same search runs on pg_trgm: a GIN trigram index over the same
#: folded text answers LIKE '%term%' for terms of three characters or more, and a view
#: named like the FTS5 table gives store.search_index the same (rowid, text) columns.
#: instr() is SQLite's, and SQLite's substr() reads a date or time as the text it is
#: stored as ("2026-04-01 09:30:00.000000"): the services use both (the folded text,
#: the month of a contact), so both are provided here with SQLite's meaning.
POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_case_search_trgm ON consultation_case "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE VIEW case_search AS "
    "SELECT id AS rowid, search_text AS case_search FROM consultation_case",
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer "
    "LANGUAGE sql IMMUTABLE STRICT AS 'SELECT strpos($1, $2)'",
    "CREATE OR REPLACE FUNCTION substr(timestamp without time zone, integer, integer) "
    "RETURNS text LANGUAGE sql IMMUTABLE STRICT AS "
    "'SELECT substr(to_char($1, ''YYYY-MM-DD HH24:MI:SS.US''), $2, $3)'",
    "CREATE OR REPLACE FUNCTION substr(date, integer, integer) "
    "RETURNS text LANGUAGE sql IMMUTABLE STRICT AS "
    "'SELECT substr(to_char($1, ''YYYY-MM-DD''), $2, $3)'",
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP VIEW IF EXISTS case_search")
        op.execute("DROP INDEX IF EXISTS ix_case_search_trgm")
        op.execute("DROP FUNCTION IF EXISTS instr(text, text)")
        op.execute("DROP FUNCTION IF EXISTS substr(timestamp without time zone, integer, integer)")
        op.execute("DROP FUNCTION IF EXISTS substr(date, integer, integer)")
        return
    for name in ("case_search_insert", "case_search_delete", "case_search_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS case_search")
