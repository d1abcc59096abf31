"""Pages for handling case material: the 配付番号管理表 and the page of a withheld 資料.

A packet that carries an identifying case sheet is printed as numbered copies
(「No. 3／8」); the 配付番号管理表 lists each number with 配付先, 配付日, 回収日 and 確認 so
the secretariat can check every copy back in after the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.meeting.data import MeetingInfo
from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, paragraph


@dataclass(frozen=True)
class DistributionLog:
    """What the 配付番号管理表 needs: the meeting, the number of copies, who gets which."""

    meeting: MeetingInfo
    copies: int
    marking: str
    recipients: tuple[str, ...] = ()  # 「所属　氏名」 by copy number, blank where unknown


def distribution_log_story(log: DistributionLog) -> list:
    """The 配付番号管理表: one row per numbered copy, to be filled in by hand."""
    m = log.meeting
    rows = []
    for k in range(1, log.copies + 1):
        who = log.recipients[k - 1] if k - 1 < len(log.recipients) else ""
        rows.append([f"No. {k}／{log.copies}", who, "", "", ""])
    widths = [24 * mm, FRAME_WIDTH - 24 * mm - 3 * 26 * mm, 26 * mm, 26 * mm, 26 * mm]
    return [
        paragraph(_("配付番号管理表"), "title"),
        paragraph(_("{title}（{date}）").format(title=m.title, date=format_date(m.held_on)),
                  "center"),
        Spacer(1, 4 * mm),
        paragraph(_("この資料一式は「{marking}」です。番号ごとに配付先を記入し、会議終了後に"
                    "全部数を回収したことを確かめてください。").format(marking=log.marking)),
        Spacer(1, 4 * mm),
        grid_table([_("配付番号"), _("配付先（所属・氏名）"), _("配付日"), _("回収日"),
                    _("確認")], rows, col_widths=widths),
        Spacer(1, 6 * mm),
        paragraph(_("回収した資料は事務局で保管し、保存期間の経過後に裁断・溶解してください。"),
                  "small"),
    ]


def write_distribution_log(path: str | Path, log: DistributionLog, *, author: str = "") -> int:
    """Write the 配付番号管理表 as its own PDF; return its page count."""
    return build_pdf(path, distribution_log_story(log), title=_("配付番号管理表"),
                     author=author, marking=log.marking)


def withheld_story(title: str, reason: str) -> list:
    """The page standing in for a 資料 the reader may not receive."""
    return [
        Spacer(1, 60 * mm),
        paragraph(title, "title"),
        Spacer(1, 10 * mm),
        paragraph(reason, "center"),
    ]
