"""The support cycle of a case: アセスメント, 支援計画 (goals, actions) and 評価.

Assessments and plans are versioned: saving again adds a new version, the earlier ones
stay as they were. A review evaluates one plan version, goal by goal. Multi-valued codes
are JSON lists of keys, as on the case.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pfdesk.store.models.base import Base, utcnow
from pfdesk.store.vault import SealedText


class Assessment(Base):
    """One version of a case's アセスメントシート (インテーク・アセスメント)."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String, default="")
    basis: Mapped[str] = mapped_column(String, default="unknown")  # ASSESSMENT_BASES
    outing: Mapped[str] = mapped_column(String, default="unknown")  # OUTING_LEVELS
    health_state: Mapped[str] = mapped_column(String, default="unknown")  # HEALTH_STATES
    risks_json: Mapped[str] = mapped_column(Text, default="[]")  # RISKS
    urgency: Mapped[str] = mapped_column(String, default="unknown")  # URGENCY
    needs_json: Mapped[str] = mapped_column(Text, default="[]")  # codes.TOPICS
    # free text (identifying; masked for users who may not identify cases)
    person_situation: Mapped[str] = mapped_column(SealedText, default="")
    family_situation: Mapped[str] = mapped_column(SealedText, default="")
    living: Mapped[str] = mapped_column(SealedText, default="")
    health: Mapped[str] = mapped_column(SealedText, default="")
    social: Mapped[str] = mapped_column(SealedText, default="")
    strengths: Mapped[str] = mapped_column(SealedText, default="")
    needs: Mapped[str] = mapped_column(SealedText, default="")
    risk_note: Mapped[str] = mapped_column(SealedText, default="")
    created_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SupportPlan(Base):
    """One version of a case's 支援計画 (プラン); a revision is a new version."""

    __tablename__ = "support_plan"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    made_on: Mapped[date] = mapped_column(Date)
    made_by: Mapped[str] = mapped_column(String, default="")
    agreement: Mapped[str] = mapped_column(String, default="pending")  # PLAN_AGREEMENTS
    agreed_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(SealedText, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    goals: Mapped[list[PlanGoal]] = relationship(
        back_populates="plan", order_by="PlanGoal.position", cascade="all, delete-orphan")
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", order_by="PlanAction.position", cascade="all, delete-orphan")


class PlanGoal(Base):
    """A goal of a plan, in the person's own words."""

    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    term: Mapped[str] = mapped_column(String, default="short")  # GOAL_TERMS
    text: Mapped[str] = mapped_column(SealedText, default="")

    plan: Mapped[SupportPlan] = relationship(back_populates="goals")


class PlanAction(Base):
    """An agreed action of a plan: what, who (staff or member organization), by when."""

    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(SealedText, default="")
    staff: Mapped[str] = mapped_column(String, default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id"), default=None, index=True)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)

    plan: Mapped[SupportPlan] = relationship(back_populates="actions")


class PlanReview(Base):
    """評価: a review of one plan version, with the outcomes seen and the next step."""

    __tablename__ = "plan_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("consultation_case.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plan.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewer: Mapped[str] = mapped_column(String, default="")
    outcomes_json: Mapped[str] = mapped_column(Text, default="[]")  # OUTCOMES
    note: Mapped[str] = mapped_column(SealedText, default="")
    next_step: Mapped[str] = mapped_column(SealedText, default="")
    next_review_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_by: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    evaluations: Mapped[list[GoalEvaluation]] = relationship(
        back_populates="review", cascade="all, delete-orphan")


class GoalEvaluation(Base):
    """The result of one goal at a review, with its next step."""

    __tablename__ = "goal_evaluation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("plan_review.id"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goal.id"), index=True)
    result: Mapped[str] = mapped_column(String)  # GOAL_RESULTS
    next_step: Mapped[str] = mapped_column(SealedText, default="")

    review: Mapped[PlanReview] = relationship(back_populates="evaluations")
