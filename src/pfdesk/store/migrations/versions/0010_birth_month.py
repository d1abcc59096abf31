"""birth month: the year and month of birth, kept beside the (sealable) birth date

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:20:00

Statistics and lists count 年代 from the year and month of birth, so they give the same
figures to every role even when the birth date itself is sealed under the identity key
(store.vault). Filled from the birth dates already stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


_COUNTED_OLD = ("id, voided_at, status, fiscal_year, sex, route, age_band, birth_date, "
                "disposed_at, intake_date")
_COUNTED_NEW = _COUNTED_OLD.replace("birth_date", "birth_ym")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in ('consultation_case', 'client'):
        if postgresql:
            # A sealed birth date is text (store.vault), as SQLite keeps every date: the
            # server's DATE column becomes text with the same ISO values.
            op.execute(f"ALTER TABLE {table} ALTER COLUMN birth_date TYPE text")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('birth_ym', sa.String(), nullable=False,
                                          server_default=''))
        op.execute(f"UPDATE {table} SET birth_ym = substr(birth_date, 1, 7) "
                   "WHERE birth_date IS NOT NULL AND birth_date != '' "
                   "AND substr(birth_date, 1, 5) != 'pfv1:'")
    # The counting index covers the birth month now, not the birth date.
    op.execute("DROP INDEX IF EXISTS ix_case_counted")
    op.execute(f"CREATE INDEX ix_case_counted ON consultation_case ({_COUNTED_NEW})")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_case_counted")
    op.execute(f"CREATE INDEX ix_case_counted ON consultation_case ({_COUNTED_OLD})")
    for table in ('consultation_case', 'client'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('birth_ym')
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} ALTER COLUMN birth_date TYPE date USING "
                       "CASE WHEN birth_date ~ '^[0-9]{4}-' THEN birth_date::date END")
