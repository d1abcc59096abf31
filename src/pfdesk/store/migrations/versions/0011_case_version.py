"""case version: an edit counter on each case, so a stale form never overwrites silently

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:00:00

Two PCs (or two windows) may open the same case. Every saved edit of the case form
counts the case's version up; a save from a form opened at an older version is
refused with what changed in between, and the user's text stays in the form.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consultation_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('consultation_case', schema=None) as batch_op:
        batch_op.drop_column('version')
