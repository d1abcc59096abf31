"""Every column in the schema that points at an organization or a person.

Found from the table metadata rather than listed by hand, so a table added later by
another area (a referral, an attendance, an action item …) is counted before a delete
and carried over by a merge without this module changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, CursorResult, Table, and_, delete, exists, func, select, update
from sqlalchemy.orm import Session

from pfdesk.store.models import Base


@dataclass(frozen=True)
class Reference:
    """A foreign-key column referring to ``target`` ("organization" or "person")."""

    table: Table
    column: Column


def references_to(target: str) -> list[Reference]:
    """All columns that refer to ``target``.id, except the record's own merged_into_id."""
    out = []
    for table in Base.metadata.sorted_tables:
        for col in table.columns:
            for fk in col.foreign_keys:
                if fk.column.table.name == target and fk.column.name == "id":
                    if table.name == target and col.name == "merged_into_id":
                        continue
                    out.append(Reference(table, col))
    return out


def count_references(session: Session, target: str, record_id: int) -> int:
    """How many rows anywhere refer to the record."""
    total = 0
    for ref in references_to(target):
        total += session.scalar(
            select(func.count()).select_from(ref.table).where(ref.column == record_id)
        ) or 0
    return total


def reassign_references(session: Session, target: str, from_id: int, to_id: int) -> dict[str, int]:
    """Point every reference to ``from_id`` at ``to_id``; returns rows moved per table.

    Where the column is part of a composite primary key (consent ↔ organization), a row
    that would duplicate one the kept record already has is dropped instead.
    """
    moved: dict[str, int] = {}
    for ref in references_to(target):
        table, col = ref.table, ref.column
        if col.primary_key and len(table.primary_key.columns) > 1:
            others = [c for c in table.primary_key.columns if c is not col]
            twin = table.alias("twin")
            dup = exists(
                select(1).select_from(twin).where(
                    twin.c[col.name] == to_id,
                    and_(*[twin.c[c.name] == c for c in others]),
                )
            )
            session.execute(delete(table).where(col == from_id, dup))
        # An UPDATE always yields a CursorResult; Session.execute is typed for any statement.
        result = cast(
            CursorResult[Any],
            session.execute(update(table).where(col == from_id).values({col.name: to_id})),
        )
        if result.rowcount:
            moved[table.name] = moved.get(table.name, 0) + result.rowcount
    return moved
