"""audit seal: a forward-secure MAC on every audit entry, and the sealing key's state

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sa.String(), nullable=False, server_default=''))
    op.create_table('audit_seal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_id', sa.Integer(), nullable=False),
    sa.Column('next_id', sa.Integer(), nullable=False),
    sa.Column('key_hex', sa.String(), nullable=False),
    sa.Column('verify_key_pending', sa.String(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_seal'))
    )


def downgrade() -> None:
    op.drop_table('audit_seal')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('mac')
