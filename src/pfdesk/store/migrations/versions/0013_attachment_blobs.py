"""attachment blobs: a server store keeps attached files in the database too

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:40:00

A file attached on one PC must open on the others: on a PostgreSQL server each
attachment's stored bytes are kept in this table and fetched into a PC's attachments
folder when that PC lacks them. SQLite stores leave the table empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment_blob',
    sa.Column('stored_name', sa.String(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('stored_name', name=op.f('pk_attachment_blob'))
    )


def downgrade() -> None:
    op.drop_table('attachment_blob')
