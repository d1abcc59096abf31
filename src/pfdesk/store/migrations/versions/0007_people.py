"""people: the persons behind cases (本人 and family who consulted), so 実人数 counts people

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:18:06

New tables only: client, case_client. A case without a case_client row still counts as
its own person, so existing stores need no backfill.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_name', sa.String(), nullable=False),
    sa.Column('given_name', sa.String(), nullable=False),
    sa.Column('family_kana', sa.String(), nullable=False),
    sa.Column('given_kana', sa.String(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('merged_at', sa.DateTime(), nullable=True),
    sa.Column('merged_by', sa.String(), nullable=False),
    sa.Column('merge_reason', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['client.id'], name=op.f('fk_client_merged_into_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client'))
    )
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_merged_into_id'), ['merged_into_id'], unique=False)

    op.create_table('case_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('relation', sa.String(), nullable=False),
    sa.Column('counted_as', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_case_client_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_case_client_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_client')),
    sa.UniqueConstraint('case_id', 'client_id', name=op.f('uq_case_client_case_id_client_id'))
    )
    with op.batch_alter_table('case_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_client_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_client_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_client_counted_as'), ['counted_as'], unique=False)
        batch_op.create_index('ix_case_client_self', ['case_id', 'role', 'counted_as'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_client', schema=None) as batch_op:
        batch_op.drop_index('ix_case_client_self')
        batch_op.drop_index(batch_op.f('ix_case_client_counted_as'))
        batch_op.drop_index(batch_op.f('ix_case_client_client_id'))
        batch_op.drop_index(batch_op.f('ix_case_client_case_id'))

    op.drop_table('case_client')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_merged_into_id'))

    op.drop_table('client')
