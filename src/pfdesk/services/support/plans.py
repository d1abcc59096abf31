"""支援計画 (プラン): goals in the person's words, agreed actions, agreement, review date.

A plan is never overwritten: revising it saves a new version with its own goals and
actions, and the earlier versions stay for the history and the evaluations made of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pfdesk.core import support_codes as sc
from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import last_editor, newer_version
from pfdesk.services.support._common import check_not_before_intake, masker, next_version
from pfdesk.store.models import Organization, PlanAction, PlanGoal, SupportPlan


@dataclass(frozen=True)
class GoalInput:
    """A goal as typed: its term (short / long) and the person's words."""

    term: str
    text: str


@dataclass(frozen=True)
class ActionInput:
    """An agreed action: what, who (a staff name and/or a member organization), by when."""

    text: str
    staff: str = ""
    organization_id: int | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class PlanInput:
    """What the plan form sends."""

    made_on: date
    review_on: date
    goals: tuple[GoalInput, ...]
    actions: tuple[ActionInput, ...] = ()
    made_by: str = ""
    agreement: str = "pending"
    agreed_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class GoalRow:
    """A goal of a plan version."""

    id: int
    term: str
    text: str

    @property
    def term_label(self) -> str:
        """短期目標 / 長期目標."""
        return sc.GOAL_TERMS.label(self.term)


@dataclass(frozen=True)
class ActionRow:
    """An agreed action of a plan version."""

    id: int
    text: str
    staff: str
    organization_id: int | None
    organization_name: str
    due_on: date | None

    @property
    def who(self) -> str:
        """The staff member and / or the organization."""
        return "・".join(p for p in (self.staff, self.organization_name) if p)


@dataclass(frozen=True)
class PlanRow:
    """One plan version (goal and action texts masked for users who may not identify)."""

    id: int
    case_id: int
    version: int
    made_on: date
    made_by: str
    agreement: str
    agreed_on: date | None
    review_on: date
    note: str
    goals: tuple[GoalRow, ...]
    actions: tuple[ActionRow, ...]
    reviewed: bool  # an evaluation has been recorded for this version

    @property
    def agreement_label(self) -> str:
        """Who agreed, as shown."""
        return sc.PLAN_AGREEMENTS.label(self.agreement)


def _validate(case, data: PlanInput) -> None:
    check_not_before_intake(case, data.made_on, "made_on", _("作成日"))
    common.check_code(sc.PLAN_AGREEMENTS, data.agreement, "agreement")
    goals = [g for g in data.goals if (g.text or "").strip()]
    if not goals:
        raise ValidationError(_("目標を少なくとも1つ入力してください。"), field="goals",
                              hint=_("本人（家族）の言葉で、短期目標か長期目標を書きます。"))
    for g in goals:
        common.check_code(sc.GOAL_TERMS, g.term, "goals")
    if data.review_on < data.made_on:
        raise ValidationError(_("「見直し予定日」が作成日より前になっています。"),
                              field="review_on")
    if data.agreement != "pending" and data.agreed_on is None:
        raise ValidationError(_("同意した日を入力してください。"), field="agreed_on",
                              hint=_("まだ同意を得ていないときは「未同意（説明中）」を選びます。"))
    for i, a in enumerate(data.actions, start=1):
        if (a.text or "").strip() and not ((a.staff or "").strip() or a.organization_id):
            raise ValidationError(
                _("取組 {n}「{text}」の担当（職員か関係機関）を入力してください。").format(
                    n=i, text=a.text.strip()[:20]), field="actions")


def plan_rows(s, actor, case_id: int) -> list[PlanRow]:
    """Every plan version of a case, newest first (used inside other services too)."""
    from pfdesk.store.models import PlanReview

    mask = masker(actor)
    plans = s.scalars(select(SupportPlan).where(SupportPlan.case_id == case_id)
                      .order_by(SupportPlan.version.desc())).all()
    reviewed = set(s.scalars(select(PlanReview.plan_id).where(PlanReview.case_id == case_id)))
    names = dict(s.execute(select(Organization.id, Organization.name)).all())
    return [PlanRow(
        id=p.id, case_id=p.case_id, version=p.version, made_on=p.made_on, made_by=p.made_by,
        agreement=p.agreement, agreed_on=p.agreed_on, review_on=p.review_on,
        note=mask(p.note),
        goals=tuple(GoalRow(g.id, g.term, mask(g.text)) for g in p.goals),
        actions=tuple(ActionRow(a.id, mask(a.text), a.staff, a.organization_id,
                                names.get(a.organization_id, "") if a.organization_id else "",
                                a.due_on) for a in p.actions),
        reviewed=p.id in reviewed,
    ) for p in plans]


def _conflict(s, actor, case, newest: int) -> EditConflict:
    """A plan version saved elsewhere after the form was opened, as an EditConflict."""
    row = next(r for r in plan_rows(s, actor, case.id) if r.version == newest)
    who = last_editor(s, ("support.plan.save",), case.id)
    changed = tuple((_("目標"), g.text) for g in row.goals) + tuple(
        (_("取組"), a.text) for a in row.actions)
    return newer_version(case.case_number, _("支援計画"), newest, who, changed, row)


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def save_plan(ctx: ServiceContext, case_id: int, data: PlanInput, *,
              seen_version: int | None = None) -> PlanRow:
    """Save a new plan version (the first plan, or a revision: nothing is overwritten).

    ``seen_version`` is the newest version when the form was opened (0: none yet). When
    another PC saved a version since, nothing is saved and an EditConflict shows that
    version (its ``current``), so a revision never silently supersedes one unread.
    """
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        newest = next_version(s, SupportPlan, case.id) - 1
        if seen_version is not None and newest != seen_version:
            raise _conflict(s, ctx.actor, case, newest)
        if case.status == "closed":
            raise ValidationError(
                _("ケース {number} は終結しています。").format(number=case.case_number),
                hint=_("支援を再開してから計画を作成してください。"))
        _validate(case, data)
        for a in data.actions:
            if a.organization_id is not None and s.get(Organization, a.organization_id) is None:
                raise ValidationError(_("取組の担当機関が名簿に見つかりません。"),
                                      field="actions")
        plan = SupportPlan(
            case_id=case.id, version=next_version(s, SupportPlan, case.id),
            made_on=data.made_on, made_by=clean_text(data.made_by),
            agreement=data.agreement,
            agreed_on=data.agreed_on if data.agreement != "pending" else None,
            review_on=data.review_on, note=(data.note or "").strip(),
        )
        plan.goals = [PlanGoal(position=i, term=g.term, text=g.text.strip())
                      for i, g in enumerate(x for x in data.goals if x.text.strip())]
        plan.actions = [PlanAction(position=i, text=a.text.strip(), staff=clean_text(a.staff),
                                   organization_id=a.organization_id, due_on=a.due_on)
                        for i, a in enumerate(x for x in data.actions if x.text.strip())]
        s.add(plan)
        s.flush()
        audit.record(s, ctx.actor, "support.plan.save", "case", [case.id],
                     case_number=case.case_number, version=plan.version)
        s.commit()
        return next(r for r in plan_rows(s, ctx.actor, case.id) if r.id == plan.id)


@service(Permission.CASE_READ)
def list_plans(ctx: ServiceContext, case_id: int) -> list[PlanRow]:
    """Every plan version of the case, newest first."""
    with ctx.session() as s:
        common.load_case(s, case_id)
        return plan_rows(s, ctx.actor, case_id)
