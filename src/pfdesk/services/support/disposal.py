"""Disposal (保存年限の経過) of the support cycle's and people's personal text of cases.

Called by ``services.retention.dispose_cases`` in its unit of work: free text of
assessments, plans, evaluations, 進行管理 findings and 地域課題 notes is blanked, codes and
dates stay for the figures; a person record whose every case is disposed loses its name,
and so does a family member known only through disposed cases.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pfdesk.services.support.assessments import TEXT_FIELDS
from pfdesk.store.models import (
    AreaIssueTag,
    Assessment,
    Case,
    CaseClient,
    CaseFinding,
    Client,
    GoalEvaluation,
    PlanAction,
    PlanGoal,
    PlanReview,
    SupportPlan,
)


def erase_case_text(s: Session, case_ids: list[int]) -> None:
    """Blank the free text of the cases' support cycle and their people's names."""
    ids = list(case_ids)
    s.execute(update(Assessment).where(Assessment.case_id.in_(ids))
              .values(**{key: "" for key, _label in TEXT_FIELDS}))
    plans = select(SupportPlan.id).where(SupportPlan.case_id.in_(ids))
    s.execute(update(SupportPlan).where(SupportPlan.case_id.in_(ids)).values(note=""))
    s.execute(update(PlanGoal).where(PlanGoal.plan_id.in_(plans)).values(text=""))
    s.execute(update(PlanAction).where(PlanAction.plan_id.in_(plans)).values(text=""))
    reviews = select(PlanReview.id).where(PlanReview.case_id.in_(ids))
    s.execute(update(PlanReview).where(PlanReview.case_id.in_(ids))
              .values(note="", next_step=""))
    s.execute(update(GoalEvaluation).where(GoalEvaluation.review_id.in_(reviews))
              .values(next_step=""))
    s.execute(update(CaseFinding).where(CaseFinding.case_id.in_(ids)).values(note=""))
    s.execute(update(AreaIssueTag).where(AreaIssueTag.case_id.in_(ids)).values(note=""))
    _erase_people(s, ids)


def _erase_people(s: Session, ids: list[int]) -> None:
    live = select(Case.id).where(Case.disposed_at.is_(None), Case.id.not_in(ids))
    touched = set(s.scalars(select(CaseClient.client_id).where(CaseClient.case_id.in_(ids))))
    touched |= {c for c in s.scalars(select(CaseClient.counted_as).where(
        CaseClient.case_id.in_(ids))) if c is not None}
    if not touched:
        return
    still_known = set(s.scalars(select(CaseClient.client_id).where(
        CaseClient.case_id.in_(live))))
    still_known |= {c for c in s.scalars(select(CaseClient.counted_as).where(
        CaseClient.case_id.in_(live))) if c is not None}
    gone = touched - still_known
    # Records merged into a disposed person go with it.
    gone |= set(s.scalars(select(Client.id).where(Client.merged_into_id.in_(gone))))
    if gone:
        s.execute(update(Client).where(Client.id.in_(gone)).values(
            family_name="", given_name="", family_kana="", given_kana="", birth_date=None,
            merge_reason=""))
    s.execute(update(CaseClient).where(CaseClient.case_id.in_(ids)).values(relation=""))
