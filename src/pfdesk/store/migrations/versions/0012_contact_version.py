"""contact version: an edit counter on each 支援経過記録, as cases have one (0011)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 12:20:00

A correction saved from a contact form opened at an older version is refused with what
changed in between, instead of overwriting another PC's correction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('version')
