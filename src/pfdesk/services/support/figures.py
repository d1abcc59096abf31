"""Figures of the support cycle for a period: plans, evaluations, outcomes, closures, 進行管理.

They feed the return catalogue (``support.…``, ``closures.…``, ``progress.…``, listed in
``docs/figures.md``) and the 「支援の進行」 part of ``pfdesk stats``. Outcomes are counted
whatever they are: 居場所, 外出, 家族関係, 医療・福祉 count as much as work (the 2025
handbook), and assessments made with the family only are counted on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.consultations._common import loads_codes
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import can_identify
from pfdesk.store.models import (
    Assessment,
    Case,
    CaseFinding,
    Contact,
    GoalEvaluation,
    Meeting,
    PlanReview,
    SupportPlan,
)


def figure_defs() -> list[tuple[str, str, str]]:
    """(name, Japanese meaning, group) of every support-cycle figure, all counts."""
    g_plan, g_close, g_prog = _("支援計画・評価"), _("終結"), _("進行管理")
    out = [
        ("support.family_only_persons",
         _("本人に会えず家族とだけ相談した人数（期間中の相談の相手方がすべて本人以外）"), g_plan),
        ("support.assessments.total", _("アセスメント件数（期間中に記録した版の数）"), g_plan),
        ("support.assessments.family_only",
         _("うち家族のみ（本人未接触）のアセスメント件数"), g_plan),
        ("support.plans.new", _("プラン作成件数（期間中に作成した支援計画の初版の数）"), g_plan),
        ("support.plans.revised", _("再プラン件数（期間中に見直した支援計画の第2版以降の数）"),
         g_plan),
        ("support.reviews.total", _("評価件数（期間中に記録した評価の数）"), g_plan),
    ]
    out += [(f"support.goals.{k}", _("目標の評価「{l}」の数").format(l=lab), g_plan)
            for k, lab in sc.GOAL_RESULTS]
    out += [(f"support.outcomes.{k}", _("評価で成果「{l}」があった件数").format(l=lab), g_plan)
            for k, lab in sc.OUTCOMES]
    out += [("closures.total", _("終結件数（期間中に終結したケース）"), g_close),
            ("closures.info_only",
             _("うち支援計画なしで終結（相談・情報提供のみで終了）"), g_close)]
    out += [(f"closures.reason.{k}", _("終結件数（理由: {l}）").format(l=lab), g_close)
            for k, lab in codes.CLOSE_REASONS]
    out += [("cases.open", _("終結していないケースの数（期間の末日現在。進行管理の対象）"), g_prog)]
    out += [(f"progress.findings.{k}", _("進行管理の所見「{l}」の数（期間中の会議）").format(l=lab),
             g_prog) for k, lab in sc.FINDINGS]
    g_area = _("地域課題")
    out += [("area.cases.total", _("地域課題の付いたケースの数（期間中に支援のあったケース）"), g_area)]
    out += [(f"area.cases.{k}", _("地域課題「{l}」の付いたケースの数").format(l=lab), g_area)
            for k, lab in sc.AREA_ISSUES]
    return out


def figure_values(s: Session, start: date, end: date) -> dict[str, int]:
    """The support-cycle figures of ``start``..``end`` (both inclusive); voided cases left out."""
    live = select(Case.id).where(Case.voided_at.is_(None))
    v: dict[str, int] = {name: 0 for name, _d, _g in figure_defs()}
    lo = datetime.combine(start, time.min)
    hi = datetime.combine(end + timedelta(days=1), time.min)
    from pfdesk.services.stats import _person_of  # people, not cases, as 実人数 counts

    met = func.max(case((Contact.counterpart == "self", 1), else_=0))
    person = _person_of(Contact.case_id)
    v["support.family_only_persons"] = len(s.execute(
        select(person).where(Contact.voided_at.is_(None), Contact.case_id.in_(live),
                             Contact.occurred_at >= lo, Contact.occurred_at < hi)
        .group_by(person).having(met == 0)).all())
    for basis, n in s.execute(select(Assessment.basis, func.count()).where(
            Assessment.case_id.in_(live), Assessment.assessed_on.between(start, end))
            .group_by(Assessment.basis)):
        v["support.assessments.total"] += n
        if basis == "family_only":
            v["support.assessments.family_only"] += n
    # Grouped by the version itself: a server (PostgreSQL) cannot tell that two
    # "version = ?" expressions with separate parameters are the same group.
    for version, n in s.execute(select(SupportPlan.version, func.count()).where(
            SupportPlan.case_id.in_(live), SupportPlan.made_on.between(start, end))
            .group_by(SupportPlan.version)):
        v["support.plans.new" if version == 1 else "support.plans.revised"] += n
    # Plain tuples, grouped by the outcomes' text: each distinct list is read once.
    in_period = (PlanReview.case_id.in_(live), PlanReview.reviewed_on.between(start, end))
    for outcomes_json, n in s.execute(select(PlanReview.outcomes_json, func.count())
                                      .where(*in_period).group_by(PlanReview.outcomes_json)):
        v["support.reviews.total"] += n
        for key in loads_codes(outcomes_json):
            if f"support.outcomes.{key}" in v:
                v[f"support.outcomes.{key}"] += n
    for result, n in s.execute(select(GoalEvaluation.result, func.count()).where(
            GoalEvaluation.review_id.in_(select(PlanReview.id).where(*in_period)))
            .group_by(GoalEvaluation.result)):
        if f"support.goals.{result}" in v:
            v[f"support.goals.{result}"] += n
    planned = select(SupportPlan.case_id)
    for reason, with_plan, n in s.execute(
            select(Case.close_reason, Case.id.in_(planned), func.count())
            .where(Case.voided_at.is_(None), Case.status == "closed",
                   Case.closed_on.between(start, end))
            .group_by(Case.close_reason, Case.id.in_(planned))):
        v["closures.total"] += n
        key = f"closures.reason.{reason or 'other'}"
        v[key if key in v else "closures.reason.other"] += n
        if not with_plan:
            v["closures.info_only"] += n
    v["cases.open"] = s.scalar(select(func.count()).select_from(Case).where(
        Case.voided_at.is_(None), Case.intake_date <= end,
        (Case.closed_on.is_(None)) | (Case.closed_on > end))) or 0
    for finding, n in s.execute(
            select(CaseFinding.finding, func.count())
            .join(Meeting, Meeting.id == CaseFinding.meeting_id)
            .where(Meeting.held_on.between(start, end), CaseFinding.case_id.in_(live))
            .group_by(CaseFinding.finding)):
        if f"progress.findings.{finding}" in v:
            v[f"progress.findings.{finding}"] += n
    from pfdesk.store.models import AreaIssueTag

    tagged = s.execute(select(AreaIssueTag.issue_key, AreaIssueTag.case_id).join(
        Case, Case.id == AreaIssueTag.case_id).where(
        Case.voided_at.is_(None), Case.intake_date <= end,
        (Case.closed_on.is_(None)) | (Case.closed_on >= start))).all()
    v["area.cases.total"] = len({cid for _k, cid in tagged})
    for key, _cid in tagged:
        name = f"area.cases.{key}"
        v[name if name in v else "area.cases.other"] += 1
    return v


@dataclass(frozen=True)
class SupportFigures:
    """The support-cycle figures of a period as ``pfdesk stats`` shows them."""

    start: date
    end: date
    values: dict[str, int | str]  # ＊ where 秘匿 hides a small count


@service(Permission.STATS_READ)
def support_figures(ctx: ServiceContext, *, start: date, end: date) -> SupportFigures:
    """The figures of ``start``..``end``; small counts hidden (＊) for a 閲覧者 under 秘匿."""
    from pfdesk.services.small_counts import load_rule

    with ctx.session() as s:
        values: dict[str, int | str] = dict(figure_values(s, start, end))
        rule = load_rule(s)
    if rule.enabled and not can_identify(ctx.actor):
        from pfdesk.services.small_counts import protect

        # closures.total and its reasons are a (total, parts) line of small_counts.
        values, _hidden = protect(values, threshold=rule.threshold, rule=rule.rule,
                                  hideable=lambda k: k != "cases.open")
    return SupportFigures(start, end, values)


def format_support_figures(f: SupportFigures) -> str:
    """The figures as readable Japanese lines, grouped, for the terminal."""
    lines: list[str] = []
    group = ""
    for name, desc, g in figure_defs():
        if g != group:
            lines += ["", _("■ {g}").format(g=g)]
            group = g
        lines.append(f"{desc}　{f.values.get(name, 0)}")
    return "\n".join(lines)
