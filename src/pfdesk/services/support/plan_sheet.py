"""Printing a plan version as 支援計画書 (with the name: for users who may identify cases)."""

from __future__ import annotations

from pathlib import Path

from pfdesk.core import support_codes as sc
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.settings import load_municipality
from pfdesk.services.support.plans import plan_rows


@service(Permission.CASE_READ, Permission.CASE_IDENTIFY, Permission.DOCUMENT_PRINT)
def print_plan(ctx: ServiceContext, case_id: int, out: str | Path,
               version: int | None = None) -> int:
    """Write the case's plan (the latest version, or ``version``) as PDF; return pages."""
    from pfdesk.documents.support_plan import PlanSheet, write_plan

    target = Path(out)
    if target.suffix.lower() != ".pdf":
        raise ValidationError(
            _("書き出し先「{name}」の拡張子は .pdf にしてください。").format(name=target.name),
            field="out")
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        rows = plan_rows(s, ctx.actor, case.id)
        plan = next((p for p in rows if version is None or p.version == version), None)
        if plan is None:
            raise ValidationError(
                _("ケース {n} に印刷できる支援計画がありません。").format(n=case.case_number),
                hint=_("「支援計画」タブの「計画を作成・見直し」で作成してください。"))
        agreed = plan.agreement_label + (
            _("（{d}）").format(d=format_date(plan.agreed_on)) if plan.agreed_on else "")
        sheet = PlanSheet(
            case_number=case.case_number, name=case.full_name, version=plan.version,
            made_on=plan.made_on, made_by=plan.made_by,
            goals=tuple((sc.GOAL_TERMS.label(g.term), g.text) for g in plan.goals),
            actions=tuple((a.text, a.who or "—", format_date(a.due_on) if a.due_on else "—")
                          for a in plan.actions),
            agreement=agreed, review_on=plan.review_on, note=plan.note,
            municipality=load_municipality(s).name)
        pages = write_plan(target, sheet, author=ctx.actor.display_name)
        audit.record(s, ctx.actor, "print.plan", "case", [case.id], case_number=case.case_number,
                     version=plan.version, file=target.name, pages=pages)
        s.commit()
    return pages


@service(Permission.CASE_READ)
def case_id_by_number(ctx: ServiceContext, case_number: str) -> int:
    """The id of the case numbered ``case_number`` (R8-0012), or a ValidationError naming it."""
    from sqlalchemy import select

    from pfdesk.store.models import Case

    number = (case_number or "").strip().upper()
    with ctx.session() as s:
        cid = s.scalar(select(Case.id).where(Case.case_number == number))
    if cid is None:
        raise ValidationError(_("ケース番号「{n}」が見つかりません。").format(n=number),
                              field="case", hint=_("番号は R8-0012 のように入力します。"))
    return cid
