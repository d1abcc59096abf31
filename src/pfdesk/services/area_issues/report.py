"""地域課題の集計 for a 年度: per issue, the cases and agenda items carrying it, and examples.

Cases count when supported in the 年度 (受付 by its end and not closed before its start);
agenda items when their meeting was held in it. Up to three anonymized examples per issue
are built from codes only (年代, 性別, 状況, 主な相談内容), never from names or free text,
so the material may go to the 全体会 and to a 閲覧者.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.documents.area_issues_data import AreaIssueReport, IssueCount
from pfdesk.services import audit
from pfdesk.services.area_issues.tags import issue_codes
from pfdesk.services.consultations._common import case_age_band, loads_codes
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import AgendaItem, AreaIssueTag, Case, Meeting

_AGE = dict(AGE_BANDS)
EXAMPLES = 3


def _example(case: Case, on) -> str:
    age = _(_AGE.get(case_age_band(case, on), _("不明")))
    topics = "・".join(codes.TOPICS.label(k) for k in loads_codes(case.issues_json)[:2])
    return _("{age}・{sex}（{status}）").format(
        age=age, sex=codes.SEXES.label(case.sex),
        status=codes.CASE_STATUSES.label(case.status)) + (
        _("　主な相談内容: {t}").format(t=topics) if topics else "")


def gather_report(s: Session, fiscal_year: int) -> AreaIssueReport:
    """The 集計 of 年度 ``fiscal_year``."""
    start, end = fiscal_year_range(fiscal_year)
    case_rows = s.execute(
        select(AreaIssueTag.issue_key, Case).join(Case, Case.id == AreaIssueTag.case_id)
        .where(Case.voided_at.is_(None), Case.intake_date <= end,
               (Case.closed_on.is_(None)) | (Case.closed_on >= start))
        .order_by(Case.id)).all()
    item_rows = s.execute(
        select(AreaIssueTag.issue_key, AgendaItem.id)
        .join(AgendaItem, AgendaItem.id == AreaIssueTag.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.held_on.between(start, end), Meeting.status != "cancelled")).all()
    rows = []
    for key, label in issue_codes(s):
        cases = [c for k, c in case_rows if k == key]
        items = {i for k, i in item_rows if k == key}
        rows.append(IssueCount(key, label, len(cases), len(items),
                               tuple(_example(c, end) for c in cases[:EXAMPLES])))
    rows.sort(key=lambda r: (-r.cases, -r.items))
    return AreaIssueReport(
        title=_("地域課題の集計"), period=format_fiscal_year(fiscal_year), rows=tuple(rows),
        tagged_cases=len({c.id for _k, c in case_rows}))


@service(Permission.MEETING_READ)
def current_fiscal_year(ctx: ServiceContext) -> int:
    """The 年度 of today (the demo town's fixed today in the demo)."""
    from pfdesk.core.fiscal import fiscal_year_of
    from pfdesk.services.consultations._common import today_for

    with ctx.session() as s:
        return fiscal_year_of(today_for(s))


@service(Permission.MEETING_READ)
def area_issue_report(ctx: ServiceContext, fiscal_year: int) -> AreaIssueReport:
    """The 年度's 地域課題 (no personal data)."""
    with ctx.session() as s:
        return gather_report(s, fiscal_year)


@service(Permission.MEETING_READ, Permission.DOCUMENT_PRINT)
def print_area_issues(ctx: ServiceContext, fiscal_year: int, out: str | Path) -> int:
    """Write the 年度's 集計 as PDF (for the 全体会); return its page count. Audited."""
    from pfdesk.documents.area_issues import write_area_issues

    target = Path(out)
    if target.suffix.lower() != ".pdf":
        raise ValidationError(
            _("書き出し先「{name}」の拡張子は .pdf にしてください。").format(name=target.name),
            field="out")
    with ctx.session() as s:
        report = gather_report(s, fiscal_year)
        pages = write_area_issues(target, report, author=ctx.actor.display_name)
        audit.record(s, ctx.actor, "print.area_issues", "fiscal_year", [fiscal_year],
                     file=target.name, pages=pages)
        s.commit()
    return pages
