"""相談記録: cases, contacts (支援経過記録), referrals (つなぎ), consents and status changes.

Multi-valued codes (課題, きっかけ, 相談内容) are kept as JSON lists of code keys.
Personal fields of a case are blanked when the case is disposed of after its
retention period; the coded fields stay for statistics.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pfdesk.core.normalize import join_name
from pfdesk.store.models.base import Base, Timestamps, Voidable
from pfdesk.store.vault import SealedDate, SealedString, SealedText


class Case(Timestamps, Voidable, Base):
    """A consultation case (ケース) about one person, from 受付 to 終結."""

    __tablename__ = "consultation_case"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "serial"),
        # Covering indexes for counting and the list (migration 0004): the long search
        # text makes every column stored after it expensive to read from the row.
        Index("ix_case_counted", "id", "voided_at", "status", "fiscal_year", "sex", "route",
              "age_band", "birth_ym", "disposed_at", "intake_date"),
        Index("ix_case_list_order", "fiscal_year", "serial", "voided_at", "status",
              "lead_staff", "route"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String, unique=True)  # e.g. R8-0012
    fiscal_year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    intake_date: Mapped[date] = mapped_column(Date, index=True)
    intake_staff: Mapped[str] = mapped_column(String, default="")  # 受付者
    lead_staff: Mapped[str] = mapped_column(String, default="", index=True)  # 主担当
    route: Mapped[str] = mapped_column(String, default="unknown")  # codes.ROUTES
    route_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None, index=True
    )
    # 本人 (personal; blanked on disposal)
    family_name: Mapped[str] = mapped_column(SealedString, default="")
    given_name: Mapped[str] = mapped_column(SealedString, default="")
    family_kana: Mapped[str] = mapped_column(SealedString, default="")
    given_kana: Mapped[str] = mapped_column(SealedString, default="")
    birth_date: Mapped[date | None] = mapped_column(SealedDate, default=None)
    # "YYYY-MM" of birth_date, kept by store.vault.keep_birth_month: 年代 for every role.
    birth_ym: Mapped[str] = mapped_column(String, default="", server_default="")
    address: Mapped[str] = mapped_column(SealedString, default="")
    phone: Mapped[str] = mapped_column(SealedString, default="")
    household: Mapped[str] = mapped_column(SealedText, default="")  # 同居家族
    school_or_employer: Mapped[str] = mapped_column(SealedString, default="")
    # coded attributes (kept for statistics)
    sex: Mapped[str] = mapped_column(String, default="unknown")  # codes.SEXES
    age_band: Mapped[str] = mapped_column(String, default="unknown")  # when birth unknown
    work_status: Mapped[str] = mapped_column(String, default="unknown")
    onset: Mapped[str] = mapped_column(String, default="")  # 状態の開始時期 "YYYY-MM" / "YYYY" / ""
    onset_band: Mapped[str] = mapped_column(String, default="unknown")  # codes PERIOD_BANDS
    issues_json: Mapped[str] = mapped_column(Text, default="[]")  # 課題 (codes.TOPICS)
    triggers_json: Mapped[str] = mapped_column(Text, default="[]")  # きっかけ
    chief_complaint: Mapped[str] = mapped_column(SealedText, default="")  # 主訴
    policy: Mapped[str] = mapped_column(SealedText, default="")  # 支援方針
    goal: Mapped[str] = mapped_column(SealedText, default="")  # 目標
    status: Mapped[str] = mapped_column(String, default="intake", index=True)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    close_reason: Mapped[str] = mapped_column(String, default="")
    disposed_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    search_text: Mapped[str] = mapped_column(SealedText, default="")
    # Counted up by every saved edit of the case form (migration 0011): a form opened at
    # an older version is refused instead of overwriting what another PC saved.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="case", order_by="Contact.occurred_at"
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="case", order_by="Referral.referred_on"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="case", order_by="Consent.given_on"
    )

    @property
    def full_name(self) -> str:
        """姓 and 名 separated by a full-width space."""
        return join_name(self.family_name, self.given_name)


class CaseStatusChange(Base):
    """One status transition of a case (受付 → 支援中 → 見守り → 終結, reopening)."""

    __tablename__ = "case_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    changed_on: Mapped[date] = mapped_column(Date)
    from_status: Mapped[str] = mapped_column(String, default="")
    to_status: Mapped[str] = mapped_column(String)
    reason: Mapped[str] = mapped_column(SealedText, default="")
    changed_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Contact(Timestamps, Voidable, Base):
    """One contact (支援経過記録): a call, a visit, a meeting with the person or family."""

    __tablename__ = "contact"
    __table_args__ = (
        # Live contacts by time and by case, covering what statistics and the lists read
        # (migration 0004).
        Index("ix_contact_live_period", "occurred_at", "case_id", "method", "requester",
              "main_topic", "voided_at", sqlite_where=text("voided_at IS NULL")),
        Index("ix_contact_live_case", "case_id", "occurred_at", "voided_at",
              sqlite_where=text("voided_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    method: Mapped[str] = mapped_column(String, default="phone")  # codes.METHODS
    requester: Mapped[str] = mapped_column(String, default="self")  # codes.REQUESTERS
    relation: Mapped[str] = mapped_column(String, default="")  # 続柄 when family
    staff: Mapped[str] = mapped_column(String, default="", index=True)  # 対応者
    counterpart: Mapped[str] = mapped_column(String, default="self")  # codes.COUNTERPARTS
    counterpart_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    topics_json: Mapped[str] = mapped_column(Text, default="[]")  # codes.TOPICS
    main_topic: Mapped[str] = mapped_column(String, default="unknown")
    body: Mapped[str] = mapped_column(SealedText, default="")  # 内容
    next_plan: Mapped[str] = mapped_column(SealedText, default="")  # 次回予定
    # Counted up by every saved correction (migration 0012), as Case.version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_by: Mapped[str] = mapped_column(String, default="")

    case: Mapped[Case] = relationship(back_populates="contacts")


class Referral(Timestamps, Voidable, Base):
    """つなぎ: a referral of the case to a member organization, with dated status."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None, index=True
    )
    category: Mapped[str] = mapped_column(String, default="other")  # REFERRAL_CATEGORIES
    status: Mapped[str] = mapped_column(String, default="referred")  # REFERRAL_STATUSES
    referred_on: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date, default=None)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)  # 終了 or 中断
    note: Mapped[str] = mapped_column(SealedText, default="")

    case: Mapped[Case] = relationship(back_populates="referrals")


class Consent(Timestamps, Voidable, Base):
    """情報共有の同意: date, scope (all members or listed organizations), method, withdrawal."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    scope_all: Mapped[bool] = mapped_column(default=False)  # all platform members
    method: Mapped[str] = mapped_column(String, default="written")  # codes.CONSENT_METHODS
    withdrawn_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(SealedText, default="")

    case: Mapped[Case] = relationship(back_populates="consents")
    organizations: Mapped[list[ConsentOrganization]] = relationship(
        back_populates="consent", cascade="all, delete-orphan"
    )


class ConsentOrganization(Base):
    """An organization a consent covers (when it does not cover all members)."""

    __tablename__ = "consent_organization"

    consent_id: Mapped[int] = mapped_column(ForeignKey("consent.id"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)

    consent: Mapped[Consent] = relationship(back_populates="organizations")
