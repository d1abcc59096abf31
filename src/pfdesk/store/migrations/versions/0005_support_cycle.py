"""support cycle: versioned アセスメント, 支援計画 (goals and actions) and 評価 of each case

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:03:33

New tables only: assessment, support_plan, plan_goal, plan_action, plan_review,
goal_evaluation. Existing cases keep their free-text 支援方針 and 目標.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor', sa.String(), nullable=False),
    sa.Column('basis', sa.String(), nullable=False),
    sa.Column('outing', sa.String(), nullable=False),
    sa.Column('health_state', sa.String(), nullable=False),
    sa.Column('risks_json', sa.Text(), nullable=False),
    sa.Column('urgency', sa.String(), nullable=False),
    sa.Column('needs_json', sa.Text(), nullable=False),
    sa.Column('person_situation', sa.Text(), nullable=False),
    sa.Column('family_situation', sa.Text(), nullable=False),
    sa.Column('living', sa.Text(), nullable=False),
    sa.Column('health', sa.Text(), nullable=False),
    sa.Column('social', sa.Text(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('risk_note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_assessment_case_id_consultation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('case_id', 'version', name=op.f('uq_assessment_case_id_version'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_case_id'), ['case_id'], unique=False)

    op.create_table('support_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('made_by', sa.String(), nullable=False),
    sa.Column('agreement', sa.String(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_support_plan_case_id_consultation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan')),
    sa.UniqueConstraint('case_id', 'version', name=op.f('uq_support_plan_case_id_version'))
    )
    with op.batch_alter_table('support_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_plan_review_on'), ['review_on'], unique=False)

    op.create_table('plan_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('staff', sa.String(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_plan_action_organization_id_organization')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plan.id'], name=op.f('fk_plan_action_plan_id_support_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plan.id'], name=op.f('fk_plan_goal_plan_id_support_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal'))
    )
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goal_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('reviewer', sa.String(), nullable=False),
    sa.Column('outcomes_json', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_plan_review_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plan.id'], name=op.f('fk_plan_review_plan_id_support_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review'))
    )
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_review_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_review_plan_id'), ['plan_id'], unique=False)

    op.create_table('goal_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goal.id'], name=op.f('fk_goal_evaluation_goal_id_plan_goal')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_review.id'], name=op.f('fk_goal_evaluation_review_id_plan_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_evaluation'))
    )
    with op.batch_alter_table('goal_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_evaluation_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_evaluation_review_id'), ['review_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('goal_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_evaluation_review_id'))
        batch_op.drop_index(batch_op.f('ix_goal_evaluation_goal_id'))

    op.drop_table('goal_evaluation')
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_review_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_review_case_id'))

    op.drop_table('plan_review')
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goal_plan_id'))

    op.drop_table('plan_goal')
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_action_organization_id'))

    op.drop_table('plan_action')
    with op.batch_alter_table('support_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_review_on'))
        batch_op.drop_index(batch_op.f('ix_support_plan_case_id'))

    op.drop_table('support_plan')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_case_id'))

    op.drop_table('assessment')
