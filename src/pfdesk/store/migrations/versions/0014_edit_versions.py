"""edit versions: an edit counter on meetings, agenda items, organizations, people and posts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:20:00

As cases (0011) and contacts (0012): every saved edit counts the record's version up, and a
save from a form opened at an older version is refused with what changed in between, so
two PCs on a shared store never overwrite each other's edit silently.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ('meeting', 'agenda_item', 'organization', 'person', 'post')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                          server_default='1'))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
