"""進行管理: what a case-reviewing meeting (実務者会議) found for each open case.

One row per meeting and case: 継続 / 見直し / 終結候補 / 支援会議へ, a note and the next
review date it set. The rows flow onto the case's timeline and into its next review date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pfdesk.store.models.base import Base, utcnow
from pfdesk.store.vault import SealedText


class CaseFinding(Base):
    """A meeting's finding on one case in its 進行管理 round."""

    __tablename__ = "case_finding"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    finding: Mapped[str] = mapped_column(String)  # support_codes.FINDINGS
    note: Mapped[str] = mapped_column(SealedText, default="")
    next_review_on: Mapped[date | None] = mapped_column(Date, default=None)
    recorded_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
