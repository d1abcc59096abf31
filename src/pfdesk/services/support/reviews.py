"""評価: every goal of the plan judged at each review, and the outcomes seen, coded.

A goal is 達成 / 一部達成 / 未達成 / 変更 with its next step; outcomes are 居場所, 外出,
家族関係, 医療・福祉 … (not employment only).

A case with a plan cannot be closed until its latest plan has been evaluated (see
:func:`require_evaluation_before_close`); a case closed after consultation and information
alone (no plan) closes as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pfdesk.core import support_codes as sc
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.support._common import masker
from pfdesk.store.models import Case, GoalEvaluation, PlanGoal, PlanReview, SupportPlan


@dataclass(frozen=True)
class GoalResultInput:
    """The judgement of one goal."""

    goal_id: int
    result: str
    next_step: str = ""


@dataclass(frozen=True)
class ReviewInput:
    """What the evaluation form sends; ``plan_id`` is the plan version evaluated."""

    plan_id: int
    reviewed_on: date
    results: tuple[GoalResultInput, ...]
    outcomes: tuple[str, ...] = ()
    reviewer: str = ""
    note: str = ""
    next_step: str = ""
    next_review_on: date | None = None


@dataclass(frozen=True)
class GoalResultRow:
    """A goal's result at a review."""

    goal_id: int
    goal_text: str
    term: str
    result: str
    next_step: str

    @property
    def result_label(self) -> str:
        """達成 / 一部達成 / 未達成 / 目標を変更."""
        return sc.GOAL_RESULTS.label(self.result)


@dataclass(frozen=True)
class ReviewRow:
    """One evaluation as the case screen lists it."""

    id: int
    case_id: int
    plan_id: int
    plan_version: int
    reviewed_on: date
    reviewer: str
    outcomes: tuple[str, ...]
    note: str
    next_step: str
    next_review_on: date | None
    results: tuple[GoalResultRow, ...]

    @property
    def outcome_labels(self) -> str:
        """The outcomes, joined for a table cell."""
        return "、".join(sc.OUTCOMES.label(k) for k in self.outcomes)


def _rows(s: Session, actor, case_id: int) -> list[ReviewRow]:
    mask = masker(actor)
    versions = dict(s.execute(select(SupportPlan.id, SupportPlan.version)
                              .where(SupportPlan.case_id == case_id)).all())
    out = []
    for r in s.scalars(select(PlanReview).where(PlanReview.case_id == case_id)
                       .order_by(PlanReview.reviewed_on.desc(), PlanReview.id.desc())):
        goals = {g.id: g for g in s.scalars(select(PlanGoal).where(PlanGoal.plan_id == r.plan_id))}
        results = tuple(GoalResultRow(
            e.goal_id, mask(goals[e.goal_id].text) if e.goal_id in goals else "",
            goals[e.goal_id].term if e.goal_id in goals else "", e.result, mask(e.next_step))
            for e in sorted(r.evaluations, key=lambda e: goals[e.goal_id].position
                            if e.goal_id in goals else 0))
        out.append(ReviewRow(
            id=r.id, case_id=r.case_id, plan_id=r.plan_id, plan_version=versions.get(r.plan_id, 0),
            reviewed_on=r.reviewed_on, reviewer=r.reviewer,
            outcomes=common.loads_codes(r.outcomes_json), note=mask(r.note),
            next_step=mask(r.next_step), next_review_on=r.next_review_on, results=results))
    return out


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def record_review(ctx: ServiceContext, case_id: int, data: ReviewInput) -> ReviewRow:
    """Record an evaluation of a plan version: every goal judged, outcomes coded."""
    for key in data.outcomes:
        common.check_code(sc.OUTCOMES, key, "outcomes")
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        plan = s.get(SupportPlan, data.plan_id)
        if plan is None or plan.case_id != case.id:
            raise ValidationError(_("評価する計画がこのケースに見つかりません。"), field="plan_id",
                                  hint=_("画面を開き直してから選び直してください。"))
        if data.reviewed_on < plan.made_on:
            raise ValidationError(_("「評価日」が計画の作成日より前になっています。"),
                                  field="reviewed_on")
        if data.next_review_on is not None and data.next_review_on <= data.reviewed_on:
            raise ValidationError(_("「次回見直し日」は評価日より後にしてください。"),
                                  field="next_review_on")
        given = {r.goal_id: r for r in data.results}
        for i, goal in enumerate(plan.goals, start=1):
            r = given.get(goal.id)
            if r is None or not r.result:
                raise ValidationError(
                    _("目標 {n}「{text}」の評価を選んでください。").format(
                        n=i, text=goal.text[:20]), field="results")
            common.check_code(sc.GOAL_RESULTS, r.result, "results")
        review = PlanReview(
            case_id=case.id, plan_id=plan.id, reviewed_on=data.reviewed_on,
            reviewer=clean_text(data.reviewer), outcomes_json=common.dumps_codes(data.outcomes),
            note=(data.note or "").strip(), next_step=(data.next_step or "").strip(),
            next_review_on=data.next_review_on, created_by=ctx.actor.display_name)
        review.evaluations = [GoalEvaluation(goal_id=g.id, result=given[g.id].result,
                                             next_step=(given[g.id].next_step or "").strip())
                              for g in plan.goals]
        s.add(review)
        s.flush()
        audit.record(s, ctx.actor, "support.review.record", "case", [case.id],
                     case_number=case.case_number, plan_version=plan.version)
        s.commit()
        return next(r for r in _rows(s, ctx.actor, case.id) if r.id == review.id)


@service(Permission.CASE_READ)
def list_reviews(ctx: ServiceContext, case_id: int) -> list[ReviewRow]:
    """Every evaluation of the case, newest first."""
    with ctx.session() as s:
        common.load_case(s, case_id)
        return _rows(s, ctx.actor, case_id)


def latest_plan(s: Session, case_id: int) -> SupportPlan | None:
    """The newest plan version of a case, or None."""
    return s.scalar(select(SupportPlan).where(SupportPlan.case_id == case_id)
                    .order_by(SupportPlan.version.desc()).limit(1))


def next_review_dates(s: Session, case_ids: list[int] | Select, *,
                      before: date | None = None) -> dict[int, date | None]:
    """When each case is next to be reviewed (cases without any schedule are left out).

    ``case_ids`` may be a SELECT of case ids: the 進行管理台帳 asks for every open case,
    and 18,000 bound ids cost 25 MB and a third of a second to compile.

    The latest of these sets it: the current plan's 見直し予定日 (when it was made), an
    evaluation's 次回見直し日, a case-reviewing meeting's 次回確認日. ``before`` leaves out
    findings of meetings held on or after that day (the 台帳 printed for that meeting).
    """
    from pfdesk.store.models import CaseFinding, Meeting

    events: dict[int, tuple[date, int, date | None]] = {}

    def offer(case_id: int, on: date, rank: int, due: date | None) -> None:
        if case_id not in events or (on, rank) >= events[case_id][:2]:
            events[case_id] = (on, rank, due)

    if isinstance(case_ids, list) and not case_ids:
        return {}
    # Plain columns, not objects, read a chunk at a time: the 進行管理台帳 asks this of
    # every open case, whose findings alone are 90,000 rows in a large town (18 MB at once).
    stream = {"yield_per": 2000}
    for case_id, made_on, review_on in s.execute(
            select(SupportPlan.case_id, SupportPlan.made_on, SupportPlan.review_on)
            .where(SupportPlan.case_id.in_(case_ids)), execution_options=stream):
        offer(case_id, made_on, 0, review_on)
    for case_id, reviewed_on, next_on in s.execute(
            select(PlanReview.case_id, PlanReview.reviewed_on, PlanReview.next_review_on)
            .where(PlanReview.case_id.in_(case_ids)), execution_options=stream):
        offer(case_id, reviewed_on, 1, next_on)
    q = (select(CaseFinding.case_id, Meeting.held_on, CaseFinding.next_review_on)
         .join(Meeting, Meeting.id == CaseFinding.meeting_id)
         .where(CaseFinding.case_id.in_(case_ids)))
    if before is not None:
        q = q.where(Meeting.held_on < before)
    for case_id, held_on, due in s.execute(q, execution_options=stream):
        if due is not None:
            offer(case_id, held_on, 2, due)
    return {cid: e[2] for cid, e in events.items()}


def next_review_on(s: Session, case_id: int) -> date | None:
    """When the case is next to be reviewed (None: nothing scheduled)."""
    return next_review_dates(s, [case_id]).get(case_id)


@service(Permission.CASE_READ)
def case_next_review(ctx: ServiceContext, case_id: int) -> date | None:
    """When the case is next to be reviewed: by its plan, its evaluation or a meeting."""
    with ctx.session() as s:
        common.load_case(s, case_id)
        return next_review_on(s, case_id)


def require_evaluation_before_close(s: Session, case: Case) -> None:
    """Refuse to close a case whose latest plan has not been evaluated."""
    plan = latest_plan(s, case.id)
    if plan is None:
        return
    done = s.scalar(select(func.count()).select_from(PlanReview)
                    .where(PlanReview.plan_id == plan.id))
    if not done:
        raise ValidationError(
            _("ケース {number} の支援計画（第{v}版）の評価が記録されていません。").format(
                number=case.case_number, v=plan.version),
            field="close_reason",
            hint=_("「支援計画」タブの「評価を記録」で目標ごとの評価を記録してから終結してください。"))
