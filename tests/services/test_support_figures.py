"""Figures of the support cycle: plans, evaluations by outcome, closures by reason, open cases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from pfdesk.services.consultations import cases, contacts
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.contacts import ContactInput
from pfdesk.services.context import Actor
from pfdesk.services.returns.figures import compute_figures, figure_def
from pfdesk.services.support import assessments, plans, reviews
from pfdesk.services.support.figures import support_figures
from pfdesk.store.models import Case

FY = (date(2026, 4, 1), date(2027, 3, 31))


def _case(ctx, day):
    c = cases.create_case(ctx, CaseInput(intake_date=day, family_name="高橋", given_name="一郎"))
    contacts.add_contact(ctx, c.id, ContactInput(occurred_at=datetime(day.year, day.month,
                                                                      day.day, 10)))
    return c


def test_plans_evaluations_outcomes_and_closures_are_counted(ctx):
    a = _case(ctx, date(2026, 5, 1))
    b = _case(ctx, date(2026, 5, 2))
    _case(ctx, date(2026, 5, 3))  # stays open without a plan
    assessments.record_assessment(ctx, a.id, assessments.AssessmentInput(
        assessed_on=date(2026, 5, 10), basis="family_only"))
    p = plans.save_plan(ctx, a.id, plans.PlanInput(
        made_on=date(2026, 6, 1), review_on=date(2026, 9, 1),
        goals=(plans.GoalInput("short", "外に出る"), plans.GoalInput("long", "家族と話す"))))
    reviews.record_review(ctx, a.id, reviews.ReviewInput(
        plan_id=p.id, reviewed_on=date(2026, 9, 1), outcomes=("ibasho", "family"),
        results=(reviews.GoalResultInput(p.goals[0].id, "achieved"),
                 reviews.GoalResultInput(p.goals[1].id, "partly"))))
    plans.save_plan(ctx, a.id, plans.PlanInput(
        made_on=date(2026, 9, 2), review_on=date(2026, 12, 1),
        goals=(plans.GoalInput("short", "居場所に通う"),)))
    cases.close_case(ctx, b.id, date(2026, 6, 1), "wish")  # no plan: 相談・情報提供のみ
    v = compute_figures(ctx, start=FY[0], end=FY[1]).values
    assert v["support.assessments.total"] == 1 and v["support.assessments.family_only"] == 1
    assert (v["support.plans.new"], v["support.plans.revised"]) == (1, 1)
    assert v["support.reviews.total"] == 1
    assert (v["support.goals.achieved"], v["support.goals.partly"]) == (1, 1)
    assert v["support.outcomes.ibasho"] == 1 and v["support.outcomes.employment"] == 0
    assert (v["closures.total"], v["closures.info_only"], v["closures.reason.wish"]) == (1, 1, 1)
    assert v["cases.open"] == 2
    assert figure_def("support.outcomes.family").description.startswith("評価で成果「家族関係の改善」")


def test_open_cases_match_the_progress_ledger_and_viewers_get_hidden_small_counts(demo_ctx):
    from pfdesk.services.progress.ledger import progress_ledger
    from tests.services.test_progress import _latest_practitioners

    f = support_figures(demo_ctx, start=FY[0], end=FY[1])
    with demo_ctx.session() as s:
        open_now = s.scalar(select(func.count()).select_from(Case).where(
            Case.voided_at.is_(None), Case.status != "closed"))
    assert f.values["cases.open"] == open_now
    assert len(progress_ledger(demo_ctx, _latest_practitioners(demo_ctx)).lines) == open_now
    viewer = support_figures(demo_ctx.acting_as(Actor("v", "閲覧者", "viewer")),
                             start=FY[0], end=FY[1])
    small = [k for k, n in f.values.items() if isinstance(n, int) and 1 <= n <= 2]
    assert small and all(viewer.values[k] == "＊" for k in small)
    assert viewer.values["cases.open"] == open_now


def test_people_reached_only_through_their_family_are_counted(ctx):
    a = _case(ctx, date(2026, 5, 1))  # its contact is with 本人 (the default)
    b = cases.create_case(ctx, CaseInput(intake_date=date(2026, 6, 1), family_name="佐藤"))
    for day in (2, 20):
        contacts.add_contact(ctx, b.id, ContactInput(
            occurred_at=datetime(2026, 6, day, 10), requester="family", relation="母",
            counterpart="family"))
    v = support_figures(ctx, start=FY[0], end=FY[1]).values
    assert v["support.family_only_persons"] == 1
    contacts.add_contact(ctx, b.id, ContactInput(occurred_at=datetime(2026, 7, 1, 10)))
    assert support_figures(ctx, start=FY[0], end=FY[1]).values[
        "support.family_only_persons"] == 0
    assert a.id != b.id


def test_a_lone_hidden_closure_reason_cannot_be_worked_out_from_the_total(ctx):
    from pfdesk.services.small_counts import protect

    values = {"closures.total": 12, "closures.reason.goal_met": 10,
              "closures.reason.wish": 2, "closures.reason.other": 0}
    shown, hidden = protect(values, threshold=2)
    assert shown["closures.reason.wish"] == "＊"
    assert "closures.total" in hidden or "closures.reason.goal_met" in hidden
