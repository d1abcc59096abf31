"""The support cycle on a case's timeline: assessments, plan versions and evaluations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.consultations import _common as common
from pfdesk.services.consultations.timeline import TimelineEntry
from pfdesk.store.models import Assessment, PlanReview, SupportPlan


def support_entries(s: Session, case_id: int, mask) -> list[TimelineEntry]:
    """One entry per assessment version, plan version and evaluation of the case."""
    out = []
    for a in s.scalars(select(Assessment).where(Assessment.case_id == case_id)):
        risks = "、".join(sc.RISKS.label(k) for k in common.loads_codes(a.risks_json))
        out.append(TimelineEntry(a.assessed_on, None, "support", _(
            "アセスメント（第{v}版・{basis}）").format(
                v=a.version, basis=sc.ASSESSMENT_BASES.label(a.basis)),
            "　".join(p for p in (
                _("緊急度: {u}").format(u=sc.URGENCY.label(a.urgency)),
                _("リスク: {r}").format(r=risks) if risks else "",
                mask(a.needs)) if p)))
    versions = {}
    for p in s.scalars(select(SupportPlan).where(SupportPlan.case_id == case_id)):
        versions[p.id] = p.version
        goals = "／".join(mask(g.text) for g in p.goals)
        out.append(TimelineEntry(p.made_on, None, "support", _(
            "支援計画 第{v}版（{agree}・見直し予定 {d}）").format(
                v=p.version, agree=sc.PLAN_AGREEMENTS.label(p.agreement),
                d=format_date(p.review_on)), goals))
    for r in s.scalars(select(PlanReview).where(PlanReview.case_id == case_id)):
        results = "、".join(sc.GOAL_RESULTS.label(e.result) for e in r.evaluations)
        outcomes = "、".join(sc.OUTCOMES.label(k) for k in common.loads_codes(r.outcomes_json))
        out.append(TimelineEntry(r.reviewed_on, None, "support", _(
            "評価（計画 第{v}版）：{results}").format(v=versions.get(r.plan_id, "?"),
                                                    results=results),
            "　".join(p for p in (_("成果: {o}").format(o=outcomes) if outcomes else "",
                                  mask(r.next_step)) if p)))
    return out
