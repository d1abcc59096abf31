"""counting indexes: covering indexes for statistics, the home page and the case list

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:00:00

A case row carries its long folded search text, so reading any column stored after it
(voided_at among them) walks the text's overflow pages: counting 30,000 cases read
the whole table. These indexes hold the few columns that counting, statistics and the
list's order need, so SQLite answers from them alone:

- live contacts by time (statistics of a period) and by case (last / first contact),
  partial on voided_at IS NULL, which every such query states;
- a case's counted attributes by id (the join from contacts to their case);
- the case list's order (年度, 番号) with its filter columns.
"""

from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

INDEXES = {
    "ix_contact_live_period": (
        "contact (occurred_at, case_id, method, requester, main_topic, voided_at)"
        " WHERE voided_at IS NULL"),
    "ix_contact_live_case": (
        "contact (case_id, occurred_at, voided_at) WHERE voided_at IS NULL"),
    "ix_case_counted": (
        "consultation_case (id, voided_at, status, fiscal_year, sex, route, age_band,"
        " birth_date, disposed_at, intake_date)"),
    "ix_case_list_order": (
        "consultation_case (fiscal_year, serial, voided_at, status, lead_staff, route)"),
}


def upgrade() -> None:
    for name, definition in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
