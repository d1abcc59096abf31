"""Declarative base, naming convention and shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints keep Alembic batch migrations on SQLite predictable.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (SQLite stores naive timestamps)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base of all pfdesk tables."""

    metadata = MetaData(naming_convention=NAMING)


class Timestamps:
    """created_at / updated_at, kept by the ORM."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Voidable:
    """A record that is never deleted by ordinary use, only voided (取消) with a reason."""

    voided_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    void_reason: Mapped[str] = mapped_column(String, default="")
    voided_by: Mapped[str] = mapped_column(String, default="")
