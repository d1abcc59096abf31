"""対応事項の状況: action items carried over from earlier meetings of the body, and their state."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.meeting.data import ActionLine
from pfdesk.documents.pdf import FRAME_WIDTH, grid_table, paragraph


def action_status_story(lines: list[ActionLine], *, title: str, as_of_text: str) -> list:
    """A table of 決定した会議, 内容, 担当, 期限, 状況, 経過 for every carried-over item."""
    story: list = [paragraph(title, "title"), paragraph(as_of_text, "body_right"),
                   Spacer(1, 3 * mm)]
    if not lines:
        story.append(paragraph(_("前回までに決まった対応事項で、継続中のものはありません。"),
                               "body"))
        return story
    widths = [24 * mm, FRAME_WIDTH - 121 * mm, 28 * mm, 22 * mm, 15 * mm, 32 * mm]
    rows = [[a.origin, a.description, a.assignee,
             format_date(a.due_on) if a.due_on else "", a.status, a.progress] for a in lines]
    story.append(grid_table([_("決定した会議"), _("内容"), _("担当"), _("期限"), _("状況"),
                             _("経過")], rows, col_widths=widths))
    done = sum(1 for a in lines if a.status == _("完了"))
    story.append(Spacer(1, 2 * mm))
    story.append(paragraph(_("全{n}件（うち完了 {d}件、継続 {o}件）").format(
        n=len(lines), d=done, o=len(lines) - done), "small"))
    return story
