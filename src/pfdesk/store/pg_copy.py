"""Copying every record of one store into another, empty one (SQLite file → server).

Rows are copied as stored: sealed (encrypted) columns stay sealed, the audit chain's
hashes stay as they were, ids stay the same (so links between records hold) and the
server's id sequences are moved past them. Tables go in dependency order; a column
that points into its own table (a merged record) is filled in after all rows exist.
The copy is one transaction on the target: it is all there, or nothing is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Engine, MetaData, Table, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator, TypeEngine

from pfdesk.core.errors import StoreError
from pfdesk.core.i18n import _
from pfdesk.store.models import Base

log = logging.getLogger(__name__)

BATCH = 2_000


def _plain(type_: TypeEngine) -> TypeEngine:
    # A TypeDecorator (a sealed column) would open or seal the value on the way: the
    # stored value is copied instead.
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def plain_tables() -> list[Table]:
    """pfdesk's tables, in dependency order, with their stored column types."""
    meta = MetaData()
    return [Table(t.name, meta, *[Column(c.name, _plain(c.type), primary_key=c.primary_key)
                                  for c in t.columns])
            for t in Base.metadata.sorted_tables]


def _self_references(name: str) -> list[str]:
    table = Base.metadata.tables[name]
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def table_counts(engine: Engine) -> dict[str, int]:
    """The number of rows of every pfdesk table of ``engine``'s store."""
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0
                for t in plain_tables()}


def copy_rows(source: Engine, target: Engine,
              progress: Callable[[str, int], None] | None = None, *,
              replace: bool = False,
              finish: Callable[[Connection], None] | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; returns the rows per table.

    Both stores must be at the same schema (both were opened, so upgraded, by pfdesk).
    ``replace``: the target's rows are deleted first, in the same transaction (a restore
    on a server); ``finish(connection)`` runs last in that transaction.
    """
    if not replace and any(table_counts(target).values()):
        raise StoreError(
            _("コピー先のデータベースには、すでに pfdesk のデータがあります。"),
            hint=_("上書きはしません。空のデータベースを指定してください。"))
    copied: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        if replace:
            for table in reversed(plain_tables()):
                dst.execute(delete(table))
        for table in plain_tables():
            later = _self_references(table.name)
            pending: list[dict[str, Any]] = []
            n = 0
            order = table.c.id if "id" in table.c else list(table.primary_key.columns)[0]
            result = src.execution_options(yield_per=BATCH).execute(
                select(table).order_by(order))
            for chunk in result.mappings().partitions(BATCH):
                rows = [dict(r) for r in chunk]
                for row in rows:
                    if any(row.get(c) is not None for c in later):
                        pending.append({"id": row["id"], **{c: row[c] for c in later}})
                        row.update({c: None for c in later})
                dst.execute(insert(table), rows)
                n += len(rows)
            for link in pending:
                dst.execute(update(table).where(table.c.id == link["id"])
                            .values({c: link[c] for c in later}))
            if target.dialect.name == "postgresql" and "id" in table.c and n:
                from sqlalchemy import text

                dst.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT MAX(id) FROM {table.name}))"))
            copied[table.name] = n
            if progress:
                progress(table.name, n)
        if finish is not None:
            finish(dst)
    log.info("copied %d rows in %d tables", sum(copied.values()), len(copied))
    return copied
