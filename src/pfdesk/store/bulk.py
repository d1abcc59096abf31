"""Many new rows of one table written in one statement, each given its id (the imports).

Core ``INSERT`` of plain dictionaries: the columns' types still convert and seal the
values (:mod:`pfdesk.store.vault`'s bind processors) and their Python defaults
(``created_at`` …) still apply, but no ORM event runs: neither attribute events
(``birth_ym`` from ``birth_date``) nor the session's ``before_flush`` sealing of closed
meetings' case items. A caller sets such values itself and writes no such item.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Connection


def table_of(model: Any) -> Table:
    """The table of a mapped class (typed as a ``Table``, which it is here)."""
    return cast(Table, model.__table__)


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` (the same keys in each) and return their ids, in order.

    On SQLite each row dictionary is given its ``id``.
    """
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        # pfdesk's SQLite transactions hold the write lock from their start (BEGIN
        # IMMEDIATE), and its tables have no AUTOINCREMENT: the ids SQLite would give
        # are the largest so far + 1, known beforehand. RETURNING in parameter order
        # would make SQLite insert one row per statement.
        last = conn.execute(select(func.max(table.c.id))).scalar() or 0
        ids = list(range(last + 1, last + 1 + len(rows)))
        for row, id_ in zip(rows, ids, strict=True):
            row["id"] = id_
        conn.execute(insert(table), rows)
        return ids
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(stmt, rows).scalars())
