"""area issues: 地域課題 tags on cases and agenda items, counted for the 全体会

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:37:23

New table only: area_issue_tag.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('area_issue_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_key', sa.String(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('tagged_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_area_issue_tag_agenda_item_id_agenda_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_area_issue_tag_case_id_consultation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_issue_tag'))
    )
    with op.batch_alter_table('area_issue_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_issue_tag_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_issue_tag_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_issue_tag_issue_key'), ['issue_key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('area_issue_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_issue_tag_issue_key'))
        batch_op.drop_index(batch_op.f('ix_area_issue_tag_case_id'))
        batch_op.drop_index(batch_op.f('ix_area_issue_tag_agenda_item_id'))

    op.drop_table('area_issue_tag')
