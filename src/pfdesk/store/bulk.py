"""Many new rows of one table written in one statement, each given its id (the imports).

Core ``INSERT`` of plain dictionaries: the columns' types still convert and seal the
values (:mod:`pfdesk.store.vault`'s bind processors) and their Python defaults
(``created_at`` …) still apply, but no ORM event runs: neither attribute events
(``birth_ym`` from ``birth_date``) nor the session's ``before_flush`` sealing of closed
meetings' case items. A caller sets such values itself and writes no such item.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
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
        plain = _plain_insert(conn, table, list(rows[0]))
        if plain is None:
            conn.execute(insert(table), rows)
        else:
            plain(rows)
        return ids
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(stmt, rows).scalars())


def write_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (the same keys in each) whose ids nobody needs back."""
    if not rows:
        return
    plain = _plain_insert(conn, table, list(rows[0])) if conn.dialect.name == "sqlite" else None
    if plain is None:
        conn.execute(insert(table), rows)
    else:
        plain(rows)


def _plain_insert(conn: Connection, table: Table, keys: list[str]
                  ) -> Callable[[list[dict]], None] | None:
    """An INSERT of rows with ``keys`` as the driver's executemany of ready tuples.

    What SQLAlchemy does for every row of an ``executemany`` (the columns' Python
    defaults, their types' bind processors: dates as text, sealing) is done here with
    the same defaults and processors, without its per-row bookkeeping (most of an
    import's writing time). A default is worked out once for the statement: the rows
    of one file get one ``created_at``, the moment they were written. None when a
    column's default is not a plain value or callable (SQLAlchemy then does it).
    """
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        return None
    defaults = []
    for col in table.columns:
        if col.key in keys or col.default is None:
            continue
        d = cast(Any, col.default)
        if not (d.is_scalar or d.is_callable):
            return None
        defaults.append((col.key, d))
    procs = {k: table.c[k].type.dialect_impl(dialect).bind_processor(dialect)
             for k in keys + [k for k, _d in defaults]}
    # The columns without a processor first, taken from each row at C speed.
    plain = [k for k in keys if procs[k] is None]
    key_procs = [(k, p) for k in keys if (p := procs[k]) is not None]
    default_procs = [((k, d), procs[k]) for k, d in defaults]
    names = plain + [k for k, _p in key_procs] + [k for k, _d in defaults]
    take = itemgetter(*plain) if len(plain) > 1 else (
        (lambda row: (row[plain[0]],)) if plain else (lambda row: ()))
    prep = dialect.identifier_preparer
    sql = "INSERT INTO {t} ({c}) VALUES ({v})".format(
        t=prep.format_table(table), c=", ".join(prep.format_column(table.c[k]) for k in names),
        v=", ".join("?" * len(names)))

    def write(rows: list[dict]) -> None:
        filled = []
        for (_k, d), p in default_procs:
            value = d.arg(None) if d.is_callable else d.arg
            filled.append(value if p is None else p(value))
        tail = tuple(filled)
        if key_procs:
            params = [take(row) + tuple([p(row[k]) for k, p in key_procs]) + tail
                      for row in rows]
        else:
            params = [take(row) + tail for row in rows]
        conn.exec_driver_sql(sql, params)

    return write
