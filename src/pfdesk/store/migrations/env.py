"""Alembic environment: runs on the connection pfdesk hands over (or a URL for autogenerate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pfdesk.store.models import Base

target_metadata = Base.metadata


def _include_name(name, type_, _parent_names) -> bool:
    # The case search index (migration 0003) is an FTS5 table with shadow tables that
    # the models do not describe: autogenerate must not propose dropping them.
    return not (type_ == "table" and name is not None and name.startswith("case_search"))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    with create_engine(url).connect() as conn:
        _run(conn)
