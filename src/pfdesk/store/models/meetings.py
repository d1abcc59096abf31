"""会議: meetings of a body, attendance, agenda items, attachments, decisions, action items."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pfdesk.store.models.base import Base, Timestamps, utcnow
from pfdesk.store.models.directory import Body
from pfdesk.store.vault import CaseContentString, CaseContentText


class Meeting(Timestamps, Base):
    """One meeting of a body (第N回), with place, time, publicity and outcome."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)  # 回次
    held_on: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time, default=None)
    end_time: Mapped[time | None] = mapped_column(Time, default=None)
    place: Mapped[str] = mapped_column(String, default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)  # オンライン併用
    publicity: Mapped[str] = mapped_column(String, default="closed")  # codes.PUBLICITY
    status: Mapped[str] = mapped_column(String, default="planned")  # codes.MEETING_STATUSES
    observers: Mapped[int] = mapped_column(Integer, default=0)  # 傍聴者数
    reply_deadline: Mapped[date | None] = mapped_column(Date, default=None)
    theme: Mapped[str] = mapped_column(String, default="")  # 学習会のテーマ
    lecturer: Mapped[str] = mapped_column(String, default="")  # 講師
    participants_residents: Mapped[int] = mapped_column(Integer, default=0)
    participants_agencies: Mapped[int] = mapped_column(Integer, default=0)
    participants_families: Mapped[int] = mapped_column(Integer, default=0)
    next_plan: Mapped[str] = mapped_column(Text, default="")  # 次回予定
    note: Mapped[str] = mapped_column(Text, default="")
    # Counted up by every saved edit (migration 0014), as Case.version: a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    body: Mapped[Body] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", order_by="Attendance.position", cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


class Attendance(Timestamps, Base):
    """An invitation and its response; affiliation and title are snapshots of the day."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    name: Mapped[str] = mapped_column(String, default="")
    name_kana: Mapped[str] = mapped_column(String, default="")
    affiliation: Mapped[str] = mapped_column(String, default="")  # 所属
    title: Mapped[str] = mapped_column(String, default="")  # 職名
    role: Mapped[str] = mapped_column(String, default="member")  # codes.BODY_ROLES
    response: Mapped[str] = mapped_column(String, default="pending")  # codes.RESPONSES
    responded_on: Mapped[date | None] = mapped_column(Date, default=None)
    proxy_name: Mapped[str] = mapped_column(String, default="")
    proxy_title: Mapped[str] = mapped_column(String, default="")
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # 遅参
    left_early: Mapped[bool] = mapped_column(Boolean, default=False)  # 早退
    note: Mapped[str] = mapped_column(String, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")


class AgendaItem(Timestamps, Base):
    """An item of the 次第 (議題 / 報告 / その他), with its minutes (要点筆記)."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String, default="agenda")  # codes.AGENDA_KINDS
    title: Mapped[str] = mapped_column(String)
    presenter: Mapped[str] = mapped_column(String, default="")
    publicity: Mapped[str] = mapped_column(String, default="")  # "" = as the meeting
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_case.id"), default=None, index=True
    )
    summary: Mapped[str] = mapped_column(CaseContentText, default="")  # 要点筆記
    # Counted up by every saved edit (migration 0014), as Case.version: a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    materials: Mapped[list[Material]] = relationship(
        back_populates="agenda_item", order_by="Material.position", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="agenda_item", order_by="Decision.position", cascade="all, delete-orphan"
    )


class Material(Timestamps, Base):
    """A 配布資料 of an agenda item: an attached file copied into the store, or generated.

    ``generated`` names a document pfdesk builds itself (statistics, action items,
    case sheet); ``stored_name`` is the file under the attachments folder.
    """

    __tablename__ = "material"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(CaseContentString)
    is_reference: Mapped[bool] = mapped_column(Boolean, default=False)  # 参考資料
    generated: Mapped[str] = mapped_column(String, default="")
    original_name: Mapped[str] = mapped_column(String, default="")
    stored_name: Mapped[str] = mapped_column(String, default="")
    sha256: Mapped[str] = mapped_column(String, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="materials")


class Decision(Timestamps, Base):
    """A 決定事項 recorded under an agenda item."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(CaseContentText)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="decisions")


class ActionItem(Timestamps, Base):
    """Something promised at a meeting; carries over in its body until done or dropped."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id"), default=None
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_case.id"), default=None, index=True
    )
    description: Mapped[str] = mapped_column(CaseContentText)
    assignee_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    assignee_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    assignee_text: Mapped[str] = mapped_column(String, default="")  # 担当 as shown
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String, default="open", index=True)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id"), default=None
    )
    progress_note: Mapped[str] = mapped_column(CaseContentText, default="")

    created_on: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
