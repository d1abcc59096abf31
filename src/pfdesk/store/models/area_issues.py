"""地域課題: a case or an agenda item tagged with one of the area's recurring problems.

The tags are counted per 年度 for the 全体会, so individual work turns into policy. The
code list is ``support_codes.AREA_ISSUES`` plus what the secretariat adds (a setting).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pfdesk.store.models.base import Base, utcnow
from pfdesk.store.vault import SealedText


class AreaIssueTag(Base):
    """One 地域課題 on one case or one agenda item (exactly one of the two is set)."""

    __tablename__ = "area_issue_tag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_key: Mapped[str] = mapped_column(String, index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_case.id"), default=None, index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        # An agenda item deleted from the 次第 takes its tags with it.
        ForeignKey("agenda_item.id", ondelete="CASCADE"), default=None, index=True)
    tagged_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(SealedText, default="")
    created_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
