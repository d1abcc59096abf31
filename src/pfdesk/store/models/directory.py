"""関係機関名簿: organizations, people, the posts they hold, bodies and memberships."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pfdesk.core.normalize import join_name
from pfdesk.store.models.base import Base, Timestamps


class Organization(Timestamps, Base):
    """A member organization (関係機関) or section of the town hall (庁内関係課)."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    name_kana: Mapped[str] = mapped_column(String, default="")
    field: Mapped[str] = mapped_column(String, default="other")  # codes.FIELDS
    kind: Mapped[str] = mapped_column(String, default="other")  # codes.ORG_KINDS
    postal_code: Mapped[str] = mapped_column(String, default="")
    address: Mapped[str] = mapped_column(String, default="")
    phone: Mapped[str] = mapped_column(String, default="")
    fax: Mapped[str] = mapped_column(String, default="")
    email: Mapped[str] = mapped_column(String, default="")
    department: Mapped[str] = mapped_column(String, default="")  # 窓口
    networks: Mapped[str] = mapped_column(String, default="")  # 所属ネットワーク, "、"-separated
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    abolished_on: Mapped[date | None] = mapped_column(Date, default=None)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    search_text: Mapped[str] = mapped_column(Text, default="", index=True)
    # Counted up by every saved edit (migration 0014), as Case.version: a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    posts: Mapped[list[Post]] = relationship(back_populates="organization")


class Person(Timestamps, Base):
    """A person in the directory (担当者, 委員); personal contact details are optional."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_name: Mapped[str] = mapped_column(String)
    given_name: Mapped[str] = mapped_column(String, default="")
    family_kana: Mapped[str] = mapped_column(String, default="")
    given_kana: Mapped[str] = mapped_column(String, default="")
    phone: Mapped[str] = mapped_column(String, default="")
    email: Mapped[str] = mapped_column(String, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    search_text: Mapped[str] = mapped_column(Text, default="", index=True)
    # Counted up by every saved edit (migration 0014), as Case.version: a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    posts: Mapped[list[Post]] = relationship(back_populates="person", order_by="Post.start_on")

    @property
    def full_name(self) -> str:
        """姓 and 名 separated by a full-width space."""
        return join_name(self.family_name, self.given_name)

    @property
    def full_kana(self) -> str:
        """The reading, 姓 and 名 separated by a full-width space."""
        return join_name(self.family_kana, self.given_kana)


class Post(Timestamps, Base):
    """A post held by a person in an organization, with 在任期間; successors add rows."""

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    department: Mapped[str] = mapped_column(String, default="")  # 部署
    title: Mapped[str] = mapped_column(String, default="")  # 職名
    start_on: Mapped[date | None] = mapped_column(Date, default=None)
    end_on: Mapped[date | None] = mapped_column(Date, default=None)
    phone: Mapped[str] = mapped_column(String, default="")
    email: Mapped[str] = mapped_column(String, default="")
    is_contact: Mapped[bool] = mapped_column(Boolean, default=True)  # 担当窓口
    confirmed_fy: Mapped[int | None] = mapped_column(Integer, default=None)  # 年度更新で確認済み
    note: Mapped[str] = mapped_column(Text, default="")
    # Counted up by every saved edit (migration 0014), as Case.version: a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    person: Mapped[Person] = relationship(back_populates="posts")
    organization: Mapped[Organization] = relationship(back_populates="posts")


class Body(Timestamps, Base):
    """A standing body (会議体): 全体会, 実務者会議, 庁内WT, ケース会議, 支援会議, 学習会."""

    __tablename__ = "body"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)  # codes.BODY_KINDS
    default_publicity: Mapped[str] = mapped_column(String, default="closed")
    numbering: Mapped[str] = mapped_column(String, default="fiscal")  # codes.NUMBERING
    basis: Mapped[str] = mapped_column(Text, default="")  # 根拠 (要綱)
    planned_per_year: Mapped[int] = mapped_column(Integer, default=1)
    secretariat: Mapped[str] = mapped_column(String, default="")  # 事務局 担当課
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    memberships: Mapped[list[BodyMembership]] = relationship(back_populates="body")


class BodyMembership(Timestamps, Base):
    """A person's seat on a body, with 役職 and 委嘱期間."""

    __tablename__ = "body_membership"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None
    )
    role: Mapped[str] = mapped_column(String, default="member")  # codes.BODY_ROLES
    start_on: Mapped[date | None] = mapped_column(Date, default=None)
    end_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    body: Mapped[Body] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()
    organization: Mapped[Organization | None] = relationship()
