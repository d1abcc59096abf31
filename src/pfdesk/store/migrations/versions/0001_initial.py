"""initial schema: directory, consultations, meetings, accounts, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-26 21:08:49.493509
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_name', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('target_type', sa.String(), nullable=False),
    sa.Column('target_ids', sa.Text(), nullable=False),
    sa.Column('detail_json', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(), nullable=False),
    sa.Column('hash', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_user_name'), ['user_name'], unique=False)

    op.create_table('body',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('default_publicity', sa.String(), nullable=False),
    sa.Column('numbering', sa.String(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('planned_per_year', sa.Integer(), nullable=False),
    sa.Column('secretariat', sa.String(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_body'))
    )
    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(), nullable=False),
    sa.Column('draft_key', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('user_name', 'draft_key', name=op.f('uq_draft_user_name_draft_key'))
    )
    op.create_table('extra_holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_holiday')),
    sa.UniqueConstraint('day', name=op.f('uq_extra_holiday_day'))
    )
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_kana', sa.String(), nullable=False),
    sa.Column('field', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('postal_code', sa.String(), nullable=False),
    sa.Column('address', sa.String(), nullable=False),
    sa.Column('phone', sa.String(), nullable=False),
    sa.Column('fax', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.Column('networks', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('abolished_on', sa.Date(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['organization.id'], name=op.f('fk_organization_merged_into_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization'))
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_search_text'), ['search_text'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_name', sa.String(), nullable=False),
    sa.Column('given_name', sa.String(), nullable=False),
    sa.Column('family_kana', sa.String(), nullable=False),
    sa.Column('given_kana', sa.String(), nullable=False),
    sa.Column('phone', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['person.id'], name=op.f('fk_person_merged_into_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_search_text'), ['search_text'], unique=False)

    op.create_table('return_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('form_name', sa.String(), nullable=False),
    sa.Column('form_sha256', sa.String(), nullable=False),
    sa.Column('mapping_text', sa.Text(), nullable=False),
    sa.Column('figures_json', sa.Text(), nullable=False),
    sa.Column('suppression', sa.String(), nullable=False),
    sa.Column('output_name', sa.String(), nullable=False),
    sa.Column('output_sha256', sa.String(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_snapshot'))
    )
    op.create_table('serial_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_serial_counter')),
    sa.UniqueConstraint('scope', 'fiscal_year', name=op.f('uq_serial_counter_scope_fiscal_year'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login_name', sa.String(), nullable=False),
    sa.Column('display_name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('password_hash', sa.String(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('login_name', name=op.f('uq_user_account_login_name'))
    )
    op.create_table('body_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_body_membership_body_id_body')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_body_membership_organization_id_organization')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_body_membership_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_body_membership'))
    )
    with op.batch_alter_table('body_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_body_membership_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_body_membership_person_id'), ['person_id'], unique=False)

    op.create_table('consultation_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('intake_date', sa.Date(), nullable=False),
    sa.Column('intake_staff', sa.String(), nullable=False),
    sa.Column('lead_staff', sa.String(), nullable=False),
    sa.Column('route', sa.String(), nullable=False),
    sa.Column('route_org_id', sa.Integer(), nullable=True),
    sa.Column('family_name', sa.String(), nullable=False),
    sa.Column('given_name', sa.String(), nullable=False),
    sa.Column('family_kana', sa.String(), nullable=False),
    sa.Column('given_kana', sa.String(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('address', sa.String(), nullable=False),
    sa.Column('phone', sa.String(), nullable=False),
    sa.Column('household', sa.Text(), nullable=False),
    sa.Column('school_or_employer', sa.String(), nullable=False),
    sa.Column('sex', sa.String(), nullable=False),
    sa.Column('age_band', sa.String(), nullable=False),
    sa.Column('work_status', sa.String(), nullable=False),
    sa.Column('onset', sa.String(), nullable=False),
    sa.Column('onset_band', sa.String(), nullable=False),
    sa.Column('issues_json', sa.Text(), nullable=False),
    sa.Column('triggers_json', sa.Text(), nullable=False),
    sa.Column('chief_complaint', sa.Text(), nullable=False),
    sa.Column('policy', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('close_reason', sa.String(), nullable=False),
    sa.Column('disposed_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.String(), nullable=False),
    sa.Column('voided_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['route_org_id'], ['organization.id'], name=op.f('fk_consultation_case_route_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_case')),
    sa.UniqueConstraint('case_number', name=op.f('uq_consultation_case_case_number')),
    sa.UniqueConstraint('fiscal_year', 'serial', name=op.f('uq_consultation_case_fiscal_year_serial'))
    )
    with op.batch_alter_table('consultation_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_case_intake_date'), ['intake_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_case_lead_staff'), ['lead_staff'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_case_route_org_id'), ['route_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_case_status'), ['status'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('place', sa.String(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('publicity', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('observers', sa.Integer(), nullable=False),
    sa.Column('reply_deadline', sa.Date(), nullable=True),
    sa.Column('theme', sa.String(), nullable=False),
    sa.Column('lecturer', sa.String(), nullable=False),
    sa.Column('participants_residents', sa.Integer(), nullable=False),
    sa.Column('participants_agencies', sa.Integer(), nullable=False),
    sa.Column('participants_families', sa.Integer(), nullable=False),
    sa.Column('next_plan', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_meeting_body_id_body')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_held_on'), ['held_on'], unique=False)

    op.create_table('post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('is_contact', sa.Boolean(), nullable=False),
    sa.Column('confirmed_fy', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_post_organization_id_organization')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_post_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post'))
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_person_id'), ['person_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('presenter', sa.String(), nullable=False),
    sa.Column('publicity', sa.String(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_agenda_item_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_agenda_item_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_kana', sa.String(), nullable=False),
    sa.Column('affiliation', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('response', sa.String(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('proxy_name', sa.String(), nullable=False),
    sa.Column('proxy_title', sa.String(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('left_early', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_attendance_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_attendance_organization_id_organization')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('case_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('from_status', sa.String(), nullable=False),
    sa.Column('to_status', sa.String(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_case_status_change_case_id_consultation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_status_change'))
    )
    with op.batch_alter_table('case_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_status_change_case_id'), ['case_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('scope_all', sa.Boolean(), nullable=False),
    sa.Column('method', sa.String(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.String(), nullable=False),
    sa.Column('voided_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_consent_case_id_consultation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_case_id'), ['case_id'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(), nullable=False),
    sa.Column('requester', sa.String(), nullable=False),
    sa.Column('relation', sa.String(), nullable=False),
    sa.Column('staff', sa.String(), nullable=False),
    sa.Column('counterpart', sa.String(), nullable=False),
    sa.Column('counterpart_org_id', sa.Integer(), nullable=True),
    sa.Column('topics_json', sa.Text(), nullable=False),
    sa.Column('main_topic', sa.String(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('next_plan', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.String(), nullable=False),
    sa.Column('voided_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_contact_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['counterpart_org_id'], ['organization.id'], name=op.f('fk_contact_counterpart_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('document_number',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('number_text', sa.String(), nullable=False),
    sa.Column('doc_kind', sa.String(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_document_number_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_number')),
    sa.UniqueConstraint('fiscal_year', 'serial', name=op.f('uq_document_number_fiscal_year_serial'))
    )
    with op.batch_alter_table('document_number', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_number_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.String(), nullable=False),
    sa.Column('voided_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_referral_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_referral_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_organization_id'), ['organization_id'], unique=False)

    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('assignee_person_id', sa.Integer(), nullable=True),
    sa.Column('assignee_org_id', sa.Integer(), nullable=True),
    sa.Column('assignee_text', sa.String(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_meeting_id', sa.Integer(), nullable=True),
    sa.Column('progress_note', sa.Text(), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_action_item_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['assignee_org_id'], ['organization.id'], name=op.f('fk_action_item_assignee_org_id_organization')),
    sa.ForeignKeyConstraint(['assignee_person_id'], ['person.id'], name=op.f('fk_action_item_assignee_person_id_person')),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_action_item_body_id_body')),
    sa.ForeignKeyConstraint(['case_id'], ['consultation_case.id'], name=op.f('fk_action_item_case_id_consultation_case')),
    sa.ForeignKeyConstraint(['closed_meeting_id'], ['meeting.id'], name=op.f('fk_action_item_closed_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_action_item_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_status'), ['status'], unique=False)

    op.create_table('consent_organization',
    sa.Column('consent_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], name=op.f('fk_consent_organization_consent_id_consent')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_consent_organization_organization_id_organization')),
    sa.PrimaryKeyConstraint('consent_id', 'organization_id', name=op.f('pk_consent_organization'))
    )
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_decision_agenda_item_id_agenda_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('is_reference', sa.Boolean(), nullable=False),
    sa.Column('generated', sa.String(), nullable=False),
    sa.Column('original_name', sa.String(), nullable=False),
    sa.Column('stored_name', sa.String(), nullable=False),
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_material_agenda_item_id_agenda_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material'))
    )
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_agenda_item_id'), ['agenda_item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_agenda_item_id'))

    op.drop_table('material')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_agenda_item_id'))

    op.drop_table('decision')
    op.drop_table('consent_organization')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_status'))
        batch_op.drop_index(batch_op.f('ix_action_item_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_case_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_body_id'))

    op.drop_table('action_item')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_organization_id'))
        batch_op.drop_index(batch_op.f('ix_referral_case_id'))

    op.drop_table('referral')
    with op.batch_alter_table('document_number', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_number_meeting_id'))

    op.drop_table('document_number')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_contact_case_id'))

    op.drop_table('contact')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_case_id'))

    op.drop_table('consent')
    with op.batch_alter_table('case_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_status_change_case_id'))

    op.drop_table('case_status_change')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_case_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_person_id'))
        batch_op.drop_index(batch_op.f('ix_post_organization_id'))

    op.drop_table('post')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_held_on'))
        batch_op.drop_index(batch_op.f('ix_meeting_fiscal_year'))
        batch_op.drop_index(batch_op.f('ix_meeting_body_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('consultation_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_case_status'))
        batch_op.drop_index(batch_op.f('ix_consultation_case_route_org_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_case_lead_staff'))
        batch_op.drop_index(batch_op.f('ix_consultation_case_intake_date'))

    op.drop_table('consultation_case')
    with op.batch_alter_table('body_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_body_membership_person_id'))
        batch_op.drop_index(batch_op.f('ix_body_membership_body_id'))

    op.drop_table('body_membership')
    op.drop_table('user_account')
    op.drop_table('setting')
    op.drop_table('serial_counter')
    op.drop_table('return_snapshot')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_search_text'))

    op.drop_table('person')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_search_text'))

    op.drop_table('organization')
    op.drop_table('extra_holiday')
    op.drop_table('draft')
    op.drop_table('body')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_user_name'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
