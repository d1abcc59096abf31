"""The 進行管理 round in a meeting's papers: a line per case in the minutes, the 台帳 material.

Used by the printing service; every case appears as the meeting's papers may show it
(``MeetingView``): its code, the finding, the next review date and the note, pseudonymized
where the reader may not identify the case.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import support_codes as sc
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.meeting.data import MinutesItem
from pfdesk.services.entitlement import IDENTIFYING
from pfdesk.services.progress.findings import require_reviewing, reviews_cases
from pfdesk.services.progress.ledger import gather_ledger
from pfdesk.store.models import Case, CaseFinding, Meeting


def findings_item(session: Session, meeting: Meeting, view) -> MinutesItem | None:
    """The minutes' 「進行管理」 item: one line per case with the meeting's finding."""
    rows = session.execute(
        select(CaseFinding, Case.case_number).join(Case, Case.id == CaseFinding.case_id)
        .where(CaseFinding.meeting_id == meeting.id)
        .order_by(Case.fiscal_year, Case.serial)).all()
    if not rows or not reviews_cases(session, meeting.body):
        return None
    lines = []
    for f, number in rows:
        nxt = _("（次回確認 {d}）").format(d=format_date(f.next_review_on)) \
            if f.next_review_on else ""
        note = view.text(f.note)
        lines.append(f"{view.code(f.case_id, number)}　{sc.FINDINGS.label(f.finding)}{nxt}"
                     + (f"　{note}" if note else ""))
    counts = {k: sum(1 for f, _n in rows if f.finding == k) for k in sc.FINDINGS.keys()}
    summary = _("終結していないケース {n}件を確認した。").format(n=len(rows)) + "（" + "、".join(
        f"{sc.FINDINGS.label(k)} {v}件" for k, v in counts.items() if v) + "）"
    return MinutesItem(kind=_("進行管理"), title=_("ケースの進行管理（ケースごとの所見）"),
                       summary=summary, decisions=tuple(lines), closed=True)


def ledger_material(session: Session, actor, meeting: Meeting, view, plan):
    """The build of the 台帳 as a packet material; named cases are added to ``plan``'s levels."""
    from pfdesk.documents.progress_ledger import progress_story

    require_reviewing(session, meeting)
    ledger = gather_ledger(session, actor, meeting, view)
    for ln in ledger.lines:
        level = view.level(ln.case_id)
        if level in IDENTIFYING:
            plan.levels[ln.case_id] = level
            plan.case_ids.append(ln.case_id)
    return partial(progress_story, ledger)
