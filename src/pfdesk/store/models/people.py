"""People behind cases: the 本人 of each case and the family members who consulted.

実人数 counts people, not cases: a person given a second case (the next 年度, or a new
intake) is linked to the same ``Client``. Merging two records of one person keeps both
rows and every link; the merged one points at the one kept (``merged_into_id``), and
``CaseClient.counted_as`` holds the person a case is counted as, so statistics need no
chain to follow.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pfdesk.store.models.base import Base, utcnow
from pfdesk.store.vault import SealedDate, SealedString


class Client(Base):
    """A person supported or consulting: 本人 of cases, or a family member who consulted."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_name: Mapped[str] = mapped_column(SealedString, default="")
    given_name: Mapped[str] = mapped_column(SealedString, default="")
    family_kana: Mapped[str] = mapped_column(SealedString, default="")
    given_kana: Mapped[str] = mapped_column(SealedString, default="")
    birth_date: Mapped[date | None] = mapped_column(SealedDate, default=None)
    birth_ym: Mapped[str] = mapped_column(String, default="", server_default="")
    sex: Mapped[str] = mapped_column(String, default="unknown")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id"), default=None, index=True)
    merged_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    merged_by: Mapped[str] = mapped_column(String, default="")
    merge_reason: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CaseClient(Base):
    """A person's part in a case: its 本人 (``role='self'``) or a family member who consulted."""

    __tablename__ = "case_client"
    __table_args__ = (
        UniqueConstraint("case_id", "client_id"),
        # What statistics read: the person each case is counted as (migration 0007).
        Index("ix_case_client_self", "case_id", "role", "counted_as"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    role: Mapped[str] = mapped_column(String, default="self")  # self / family
    relation: Mapped[str] = mapped_column(String, default="")  # 続柄 of a family member
    # The person the case is counted as (the client after merges); 本人 rows only.
    counted_as: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
