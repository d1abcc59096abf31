"""進行管理台帳: every open case for a case-reviewing meeting, with what it needs to decide.

Per case: status, 主担当, the member organizations involved, last contact, next review
date (overdue marked), 緊急度 and, once recorded, the meeting's finding. Identity follows
the meeting's legal basis exactly as case sheets do (``entitlement.MeetingView``): names
only where the meeting may see them, else the case number (or 「ケースA」 for a reader
who may not read case data); free text is pseudonymized the same way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.documents.progress_data import ProgressLedger, ProgressLine
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.entitlement import IDENTIFYING, MeetingView
from pfdesk.services.progress.findings import findings_of, load_meeting, require_reviewing
from pfdesk.services.support.reviews import next_review_dates
from pfdesk.store.models import (
    Assessment,
    Case,
    Contact,
    Meeting,
    Organization,
    PlanAction,
    Referral,
    SupportPlan,
)

SUPPORT_MARKING = "取扱注意・会議終了後回収"
HANDLE_WITH_CARE = "取扱注意"
#: Rows of one case each are read a chunk at a time: a large town has 18,000 open cases,
#: and a whole result held at once is what the worker's peak memory was made of.
STREAM = {"yield_per": 2000}


def _open_cases(s: Session) -> list[tuple[int, str, str, str, str, str]]:
    """(id, 番号, 姓, 名, status, 主担当) of every open case, in 年度 and number order.

    Plain rows from the case list's covering index and the columns stored before the
    long search text: the case objects themselves are not needed.
    """
    return [tuple(r) for r in s.execute(  # type: ignore[misc]
        select(Case.id, Case.case_number, Case.family_name, Case.given_name, Case.status,
               Case.lead_staff)
        .where(Case.voided_at.is_(None), Case.status != "closed")
        .order_by(Case.fiscal_year, Case.serial), execution_options=STREAM)]


def _open_ids():
    """The open cases as a subquery (no list of ids sent to SQLite, however many)."""
    return select(Case.id).where(Case.voided_at.is_(None), Case.status != "closed")


def _organizations(s: Session) -> dict[int, list[str]]:
    names: dict[int | None, str] = {
        oid: name for oid, name in s.execute(select(Organization.id, Organization.name))}
    out: dict[int, list[str]] = {}
    for cid, org in s.execute(select(Case.id, Case.route_org_id).where(
            Case.voided_at.is_(None), Case.status != "closed",
            Case.route_org_id.is_not(None)), execution_options=STREAM):
        out.setdefault(cid, []).append(names.get(org, ""))
    for cid, org in s.execute(select(Referral.case_id, Referral.organization_id).where(
            Referral.case_id.in_(_open_ids()), Referral.voided_at.is_(None),
            Referral.organization_id.is_not(None),
            Referral.status.in_(("referred", "started")))
            .order_by(Referral.referred_on, Referral.id), execution_options=STREAM):
        out.setdefault(cid, []).append(names.get(org, ""))
    latest = (select(SupportPlan.case_id, func.max(SupportPlan.version).label("v"))
              .where(SupportPlan.case_id.in_(_open_ids())).group_by(SupportPlan.case_id)
              .subquery())
    for cid, org in s.execute(
            select(SupportPlan.case_id, PlanAction.organization_id)
            .join(latest, (latest.c.case_id == SupportPlan.case_id)
                  & (latest.c.v == SupportPlan.version))
            .join(PlanAction, PlanAction.plan_id == SupportPlan.id)
            .where(PlanAction.organization_id.is_not(None))
            .order_by(PlanAction.id), execution_options=STREAM):
        out.setdefault(cid, []).append(names.get(org, ""))
    return {cid: list(dict.fromkeys(n for n in v if n)) for cid, v in out.items()}


def _urgencies(s: Session) -> dict[int, str]:
    latest = (select(Assessment.case_id, func.max(Assessment.version).label("v"))
              .where(Assessment.case_id.in_(_open_ids())).group_by(Assessment.case_id)
              .subquery())
    return {cid: urgency for cid, urgency in s.execute(
        select(Assessment.case_id, Assessment.urgency).join(
            latest, (latest.c.case_id == Assessment.case_id)
            & (latest.c.v == Assessment.version)), execution_options=STREAM)}


def _last_contacts(s: Session) -> dict[int, date]:
    return {cid: at.date() for cid, at in s.execute(
        select(Contact.case_id, func.max(Contact.occurred_at))
        .where(Contact.case_id.in_(_open_ids()), Contact.voided_at.is_(None))
        .group_by(Contact.case_id), execution_options=STREAM) if at is not None}


def _note(meeting: Meeting, identifying: bool) -> str:
    if meeting.body.kind == "support_meeting":
        return _("支援会議（社会福祉法第106条の6）の資料です。構成員には守秘義務があります。"
                 "会議終了後に回収します。")
    if identifying:
        return _("氏名は、本人の同意（情報共有の同意）が出席機関すべてに及ぶケースにだけ記載しています。"
                 "目的外に使用しないでください。")
    return _("本人を特定できる情報（氏名・住所・連絡先など）は記載していません。")


def gather_ledger(s: Session, actor, meeting: Meeting, view: MeetingView) -> ProgressLedger:
    """The 台帳 of ``meeting`` for ``view``'s readers (used by the packet too)."""
    cases = _open_cases(s)
    ids = [c[0] for c in cases]
    orgs = _organizations(s)
    urgency = _urgencies(s)
    last = _last_contacts(s)
    due = next_review_dates(s, _open_ids(), before=meeting.held_on)
    found = findings_of(s, meeting.id)
    view.prefetch(ids)
    del ids
    # One object per distinct value: thousands of lines repeat a few statuses, staff,
    # 緊急度, days and sets of organizations, each read as a new object per row (a large
    # town's 台帳 holds 3 MB less this way, and the page keeps it while shown).
    shared: dict[Any, Any] = {}

    def one(value: Any) -> Any:
        return shared.setdefault(value, value)

    lines = []
    for cid, number, family, given, status, lead in cases:
        level = view.level(cid)
        named = level in IDENTIFYING
        f = found.get(cid)
        review_on = one(due.get(cid))
        lines.append(ProgressLine(
            case_id=cid, code=view.code(cid, number),
            name=f"{family}　{given}".strip("　") if named else "", status=one(status),
            lead_staff=one(lead), organizations=one(tuple(orgs.get(cid, ()))),
            last_contact=one(last.get(cid)), next_review_on=review_on,
            overdue=review_on is not None and review_on < meeting.held_on,
            urgency=one(urgency.get(cid, "")),
            finding=f.finding if f else "", finding_note=view.text(f.note) if f else "",
            finding_next=f.next_review_on if f else None))
    identifying = any(ln.name for ln in lines)
    support = meeting.body.kind == "support_meeting"
    marking = SUPPORT_MARKING if support else (HANDLE_WITH_CARE if identifying else None)
    return ProgressLedger(
        meeting_id=meeting.id, title=_("進行管理台帳"),
        meeting_label=_("{body}　第{n}回（{d}）").format(
            body=meeting.body.name, n=meeting.number, d=format_date(meeting.held_on)),
        held_on=meeting.held_on, lines=tuple(lines), identifying=identifying,
        marking=marking, note=_note(meeting, identifying))


@service(Permission.MEETING_READ)
def progress_ledger(ctx: ServiceContext, meeting_id: int) -> ProgressLedger:
    """The 台帳 of a case-reviewing meeting as its papers show it (the view is audited)."""
    with ctx.session() as s:
        meeting = load_meeting(s, meeting_id)
        require_reviewing(s, meeting)
        view = MeetingView(s, ctx.actor, meeting, document=True)
        ledger = gather_ledger(s, ctx.actor, meeting, view)
        audit.record(s, ctx.actor, "progress.ledger.view", "meeting", [meeting.id],
                     cases=len(ledger.lines), identifying=ledger.identifying)
        s.commit()
        return ledger


@service(Permission.MEETING_READ, Permission.DOCUMENT_PRINT)
def print_progress(ctx: ServiceContext, meeting_id: int, out: str | Path) -> tuple[int, int]:
    """Write the meeting's 台帳 as a PDF; return (pages, cases listed). Audited."""
    from pfdesk.documents.progress_ledger import write_progress_ledger

    target = Path(out)
    if target.suffix.lower() != ".pdf":
        raise ValidationError(
            _("書き出し先「{name}」の拡張子は .pdf にしてください。").format(name=target.name),
            field="out")
    with ctx.session() as s:
        meeting = load_meeting(s, meeting_id)
        require_reviewing(s, meeting)
        view = MeetingView(s, ctx.actor, meeting, document=True)
        ledger = gather_ledger(s, ctx.actor, meeting, view)
        pages = write_progress_ledger(target, ledger, author=ctx.actor.display_name)
        audit.record(s, ctx.actor, "print.progress", "meeting", [meeting.id],
                     document=ledger.title, file=target.name, pages=pages,
                     cases=sorted(ln.case_id for ln in ledger.lines),
                     levels={str(k): v for k, v in sorted(view.disclosed().items())})
        s.commit()
        return pages, len(ledger.lines)
