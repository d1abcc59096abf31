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


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("case_search_insert", "case_search_delete", "case_search_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS case_search")
