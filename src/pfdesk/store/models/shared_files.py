"""Attached files kept in the database of a server store, so every PC can open them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from pfdesk.store.models.base import Base, utcnow


class AttachmentBlob(Base):
    """One attachment's stored bytes (as in the attachments folder), by its stored name.

    Used by server stores only (store.shared_files); a SQLite store keeps its files in
    its folder and leaves this table empty.
    """

    __tablename__ = "attachment_blob"

    stored_name: Mapped[str] = mapped_column(String, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
