"""Settings, serial counters, autosaved drafts, user accounts and the audit log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pfdesk.store.models.base import Base, Timestamps, utcnow
from pfdesk.store.vault import SealedWhenHeld


class Setting(Base):
    """One setting as JSON text (municipality, sender, document prefix, returns answers …)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value_json: Mapped[str] = mapped_column(Text, default="null")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SerialCounter(Base):
    """Serial numbers that restart each 年度 and are never reused (case numbers, 文書番号)."""

    __tablename__ = "serial_counter"
    __table_args__ = (UniqueConstraint("scope", "fiscal_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Draft(Base):
    """Text autosaved while the user types (long notes, minutes), until saved or discarded."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("user_name", "draft_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(String)
    draft_key: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(SealedWhenHeld, default="")  # store.vault
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class UserAccount(Timestamps, Base):
    """A person who signs in to pfdesk, with a role (admin / staff / viewer)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login_name: Mapped[str] = mapped_column(String, unique=True)
    display_name: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String, default="staff")
    password_hash: Mapped[str] = mapped_column(String, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class AuditEvent(Base):
    """An append-only, hash-chained record of who did what to which records."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String, index=True)
    action: Mapped[str] = mapped_column(String, index=True)
    target_type: Mapped[str] = mapped_column(String, default="")
    target_ids: Mapped[str] = mapped_column(Text, default="")
    detail_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String, default="")
    hash: Mapped[str] = mapped_column(String, default="")
    # HMAC of ``hash`` under the sealing key of this entry (see services.audit_seal).
    mac: Mapped[str] = mapped_column(String, default="", server_default="")


class AuditSeal(Base):
    """The audit log's sealing state: the current key, which only moves forward.

    The key that sealed entry ``next_id - 1`` is gone; the one here seals ``next_id``.
    ``verify_key_pending`` holds the first key only until the first 監査ログ確認票 is
    printed, then it lives on paper alone.
    """

    __tablename__ = "audit_seal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_id: Mapped[int] = mapped_column(Integer)
    next_id: Mapped[int] = mapped_column(Integer)
    key_hex: Mapped[str] = mapped_column(String)
    verify_key_pending: Mapped[str] = mapped_column(String, default="")
    sheet_id: Mapped[int] = mapped_column(Integer, default=0)  # last entry on a printed sheet
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ExtraHoliday(Base):
    """A day the office is closed that the holiday library does not know (町の休日)."""

    __tablename__ = "extra_holiday"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String, default="")


class ReturnSnapshot(Base):
    """A return sent to the prefecture: period, form, mapping, figures and file hash."""

    __tablename__ = "return_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer, default=None)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String, default="")
    form_name: Mapped[str] = mapped_column(String, default="")
    form_sha256: Mapped[str] = mapped_column(String, default="")
    mapping_text: Mapped[str] = mapped_column(Text, default="")
    figures_json: Mapped[str] = mapped_column(Text, default="{}")
    suppression: Mapped[str] = mapped_column(String, default="")
    output_name: Mapped[str] = mapped_column(String, default="")
    output_sha256: Mapped[str] = mapped_column(String, default="")
    created_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DocumentNumber(Base):
    """A 文書番号 issued for an outgoing document; never reused."""

    __tablename__ = "document_number"
    __table_args__ = (UniqueConstraint("fiscal_year", "serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number_text: Mapped[str] = mapped_column(String)
    doc_kind: Mapped[str] = mapped_column(String, default="notice")
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id"), default=None, index=True
    )
    subject: Mapped[str] = mapped_column(String, default="")
    issued_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
