"""progress findings: a case-reviewing meeting's finding on each open case (進行管理)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:21:57

New table only: case_finding (one row per meeting and case).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('finding', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_case_finding_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_case_finding_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_finding')),
    sa.UniqueConstraint('meeting_id', 'case_id', name=op.f('uq_case_finding_meeting_id_case_id'))
    )
    with op.batch_alter_table('case_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_finding_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_finding_meeting_id'), ['meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_finding_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_case_finding_case_id'))

    op.drop_table('case_finding')
