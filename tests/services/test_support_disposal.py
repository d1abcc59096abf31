"""Disposal also blanks the support cycle's text and the names of the case's people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from pfdesk.services import retention
from pfdesk.services.people import persons
from pfdesk.store.models import (
    Assessment,
    Case,
    CaseClient,
    Client,
    Contact,
    PlanAction,
    PlanGoal,
    PlanReview,
    SupportPlan,
)

NAME = "秘密野"


def _case(s, serial, closed_on):
    case = Case(case_number=f"R2-{serial:04d}", fiscal_year=2020, serial=serial,
                intake_date=date(2020, 6, 1), family_name=NAME, given_name="花子",
                family_kana="ヒミツノ", sex="female", status="closed", closed_on=closed_on)
    s.add(case)
    s.flush()
    s.add(Contact(case_id=case.id, occurred_at=datetime(2020, 6, 1, 10), body="来所"))
    return case


def test_disposal_blanks_plans_assessments_reviews_and_people(ctx):
    with ctx.session() as s:
        old = _case(s, 1, date(2020, 9, 30))
        recent = _case(s, 2, date(2024, 3, 31))
        s.add(Assessment(case_id=old.id, version=1, assessed_on=date(2020, 6, 5),
                         family_situation=f"{NAME}さんの母と面談", urgency="high"))
        plan = SupportPlan(case_id=old.id, version=1, made_on=date(2020, 6, 10),
                           review_on=date(2020, 9, 1), note=f"{NAME}さん同意")
        plan.goals = [PlanGoal(term="short", text=f"{NAME}さんが外に出る")]
        plan.actions = [PlanAction(text=f"{NAME}宅を訪問", staff="川口")]
        s.add(plan)
        s.flush()
        s.add(PlanReview(case_id=old.id, plan_id=plan.id, reviewed_on=date(2020, 9, 1),
                         note=f"{NAME}さん順調", outcomes_json='["outing"]'))
        s.commit()
        old_id, recent_id = old.id, recent.id
    persons.add_family_member(ctx, old_id, persons.FamilyInput(relation="母",
                                                                family_name=NAME))
    persons.person_of_case(ctx, recent_id)  # another person, whose case stays
    retention.dispose_cases(ctx, [old_id], date(2026, 3, 31), approval="保福第12号")
    with ctx.session() as s:
        texts = [*s.scalars(select(Assessment.family_situation)),
                 *s.scalars(select(SupportPlan.note)), *s.scalars(select(PlanGoal.text)),
                 *s.scalars(select(PlanAction.text)), *s.scalars(select(PlanReview.note))]
        people = {c.id: c.family_name for c in s.scalars(select(Client))}
        kept = s.scalar(select(CaseClient.client_id).where(CaseClient.case_id == recent_id))
        assert s.scalar(select(Assessment.urgency)) == "high"  # codes stay for the figures
        assert s.scalar(select(PlanReview.outcomes_json)) == '["outing"]'
    assert not any(NAME in t for t in texts), texts
    assert people[kept] == NAME  # the other case's person keeps their name
    assert [n for cid, n in people.items() if cid != kept] == ["", ""]
