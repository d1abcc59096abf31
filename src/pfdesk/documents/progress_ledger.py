"""進行管理台帳 (PDF): one row per open case; overdue review dates shaded and marked.

After the meeting the same table carries its finding per case (継続 / 見直し / 終結候補 /
支援会議へ) and the next review date it set, so the printed 台帳 doubles as the record.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from pfdesk.core.i18n import _
from pfdesk.core.wareki import era_of
from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, paragraph
from pfdesk.documents.progress_data import ProgressLedger, ProgressLine

_OVERDUE = colors.HexColor("#F8D7DA")
_HIGH = colors.HexColor("#FFF3CD")


_ERA_LETTERS = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}


def _short(d) -> str:
    """R8.9.1: the short 和暦 the office types, so a date fits a narrow column."""
    if d is None:
        return "—"
    try:
        name, year = era_of(d)
    except ValueError:
        return d.strftime("%Y/%m/%d")
    return f"{_ERA_LETTERS.get(name, name)}{year}.{d.month}.{d.day}"


def _row(n: int, ln: ProgressLine) -> list[str]:
    who = ln.code + (f"\n{ln.name}" if ln.name else "")
    review = _short(ln.next_review_on) + ("\n" + _("【期限切れ】") if ln.overdue else "")
    finding = ln.finding_label
    if ln.finding_next:
        finding += "\n" + _("次回 {d}").format(d=_short(ln.finding_next))
    if ln.finding_note:
        finding += "\n" + ln.finding_note
    return [str(n), who, ln.status_label, ln.lead_staff or "—",
            "、".join(ln.organizations) or "—", _short(ln.last_contact), review,
            ln.urgency_label.split("（")[0], finding]


def progress_story(ledger: ProgressLedger) -> list:
    """The 台帳 as a reportlab story (also a generated material of a packet)."""
    story: list = [paragraph(ledger.title, "title"),
                   paragraph(ledger.meeting_label, "center"),
                   Spacer(1, 2 * mm),
                   paragraph(_("対象: 終結していないケース {n}件（うち見直し期限切れ {o}件）").format(
                       n=len(ledger.lines), o=ledger.overdue_count), "body"),
                   paragraph(ledger.note, "small"),
                   Spacer(1, 3 * mm)]
    if not ledger.lines:
        story.append(paragraph(_("終結していないケースはありません。"), "body"))
        return story
    headers = [_("No."), _("ケース"), _("状況"), _("主担当"), _("関係機関"), _("最終相談日"),
               _("見直し予定日"), _("緊急度"), _("会議の所見")]
    widths = [9 * mm, 21 * mm, 14 * mm, 14 * mm, 0.0, 18 * mm, 18 * mm, 14 * mm, 24 * mm]
    widths[4] = FRAME_WIDTH - sum(widths)
    rows = [_row(i, ln) for i, ln in enumerate(ledger.lines, start=1)]
    table = grid_table(headers, rows, col_widths=widths)
    marks = []
    for i, ln in enumerate(ledger.lines, start=1):
        if ln.overdue:
            marks.append(("BACKGROUND", (6, i), (6, i), _OVERDUE))
        if ln.urgency == "high":
            marks.append(("BACKGROUND", (7, i), (7, i), _HIGH))
    if marks:
        table.setStyle(TableStyle(marks))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    story.append(paragraph(_("所見: 継続／見直し／終結候補／支援会議へ。"
                             "見直し予定日の網かけは会議の日に期限が過ぎているものです。"), "small"))
    return story


def write_progress_ledger(path: str | Path, ledger: ProgressLedger, *, author: str = "") -> int:
    """Write the 台帳 to ``path``; return the page count."""
    return build_pdf(path, progress_story(ledger), title=ledger.title, author=author,
                     marking=ledger.marking)
