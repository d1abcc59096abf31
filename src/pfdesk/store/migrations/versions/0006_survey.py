"""survey: 実態把握調査, the respondents asked (民生委員 by 地区, organizations) and persons reported

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:20:00

New tables only: survey, survey_respondent, survey_person. No reported person has a name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('document_number', sa.String(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_fiscal_year'), ['fiscal_year'], unique=False)
    op.create_table('survey_respondent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('organization_name', sa.String(), nullable=False),
    sa.Column('district', sa.String(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('known_count', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                            name=op.f('fk_survey_respondent_organization_id_organization')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'],
                            name=op.f('fk_survey_respondent_person_id_person')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'],
                            name=op.f('fk_survey_respondent_survey_id_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_respondent'))
    )
    with op.batch_alter_table('survey_respondent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_respondent_survey_id'), ['survey_id'],
                              unique=False)
    op.create_table('survey_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(), nullable=False),
    sa.Column('age_band', sa.String(), nullable=False),
    sa.Column('family', sa.String(), nullable=False),
    sa.Column('states', sa.JSON(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('support', sa.String(), nullable=False),
    sa.Column('supporter', sa.String(), nullable=False),
    sa.Column('knows_window', sa.String(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['respondent_id'], ['survey_respondent.id'],
                            name=op.f('fk_survey_person_respondent_id_survey_respondent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_person'))
    )
    with op.batch_alter_table('survey_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_person_respondent_id'), ['respondent_id'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('survey_person')
    op.drop_table('survey_respondent')
    op.drop_table('survey')
