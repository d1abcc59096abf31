"""The support cycle on a case's timeline: assessments, plans, evaluations, meeting findings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.consultations import _common as common
from pfdesk.services.consultations.timeline import TimelineEntry
from pfdesk.store.models import Assessment, Body, CaseFinding, Meeting, PlanReview, SupportPlan


def support_entries(s: Session, case_id: int, mask) -> list[TimelineEntry]:
    """One entry per assessment version, plan version, evaluation and 進行管理 finding."""
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
    for f, meeting, body in s.execute(
            select(CaseFinding, Meeting, Body).join(Meeting, Meeting.id == CaseFinding.meeting_id)
            .join(Body, Body.id == Meeting.body_id).where(CaseFinding.case_id == case_id)):
        nxt = (_("次回確認 {d}").format(d=format_date(f.next_review_on))
               if f.next_review_on else "")
        out.append(TimelineEntry(meeting.held_on, meeting.start_time, "meeting", _(
            "{body} 第{n}回 進行管理：{finding}").format(
                body=body.name, n=meeting.number, finding=sc.FINDINGS.label(f.finding)),
            "　".join(p for p in (nxt, mask(f.note)) if p)))
    return out
