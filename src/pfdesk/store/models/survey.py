"""実態把握調査: a survey, the 民生委員 and organizations asked, and the anonymous persons reported.

No row here names a person who needs support: a reported person is a set of coded answers
(性別, 年代, 家族構成, 状態 …) under the respondent who reported them. Choice answers are
stored as the label printed on the questionnaire, since the secretariat may adjust the lists.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pfdesk.store.models.base import Base, Timestamps


class Survey(Timestamps, Base):
    """One 実態把握調査 of a 年度, with its questions (template as adjusted) and deadline."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    issued_on: Mapped[date | None] = mapped_column(Date, default=None)  # 発信日 of the letters
    document_number: Mapped[str] = mapped_column(String, default="")  # 文書番号 once printed
    questions: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    respondents: Mapped[list[SurveyRespondent]] = relationship(
        back_populates="survey", order_by="SurveyRespondent.position",
        cascade="all, delete-orphan")


class SurveyRespondent(Timestamps, Base):
    """A 民生委員・児童委員 (with 担当地区) or member organization asked to answer."""

    __tablename__ = "survey_respondent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String, default="commissioner")  # commissioner / organization
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None)
    name: Mapped[str] = mapped_column(String, default="")  # 宛名 as printed
    organization_name: Mapped[str] = mapped_column(String, default="")
    district: Mapped[str] = mapped_column(String, default="")  # 担当地区
    answered_on: Mapped[date | None] = mapped_column(Date, default=None)
    known_count: Mapped[int | None] = mapped_column(Integer, default=None)  # 把握している人数
    note: Mapped[str] = mapped_column(Text, default="")

    survey: Mapped[Survey] = relationship(back_populates="respondents")
    persons: Mapped[list[SurveyPerson]] = relationship(
        back_populates="respondent", order_by="SurveyPerson.position",
        cascade="all, delete-orphan")


class SurveyPerson(Base):
    """One anonymous person a respondent reported: coded answers and checked remarks."""

    __tablename__ = "survey_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("survey_respondent.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sex: Mapped[str] = mapped_column(String, default="unknown")  # codes.SEXES
    age_band: Mapped[str] = mapped_column(String, default="unknown")  # fiscal.AGE_BANDS
    family: Mapped[str] = mapped_column(String, default="")
    states: Mapped[list] = mapped_column(JSON, default=list)
    period: Mapped[str] = mapped_column(String, default="unknown")  # fiscal.PERIOD_BANDS
    triggers: Mapped[list] = mapped_column(JSON, default=list)
    support: Mapped[str] = mapped_column(String, default="")
    supporter: Mapped[str] = mapped_column(String, default="")
    knows_window: Mapped[str] = mapped_column(String, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    respondent: Mapped[SurveyRespondent] = relationship(back_populates="persons")
