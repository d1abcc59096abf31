"""会議録 / 議事要旨: the header table, then per item the summary, decisions and action items."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from pfdesk.core.i18n import _
from pfdesk.documents.meeting.common import date_text, when_text, where_text
from pfdesk.documents.meeting.data import MinutesData
from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, kv_table, paragraph, styles


def minutes_title(data: MinutesData) -> str:
    """「令和8年度第3回○○　会議録」."""
    return f"{data.meeting.title}　{data.heading}"


def _header_rows(data: MinutesData) -> list[tuple[str, str]]:
    m = data.meeting
    none = _("なし")
    rows = [
        (_("日時"), when_text(m)),
        (_("場所"), where_text(m)),
        (_("出席者"), _("委員等 {n}名").format(n=len(data.present))
         + ("\n" + "\n".join(data.present) if data.present else "")),
        (_("欠席者"), "\n".join(data.absent) or none),
        (_("議題"), "\n".join(f"({i}) {it.title}" for i, it in enumerate(data.items, 1))
         or none),
        (_("配布資料"), "\n".join(f"{x.label}　{x.title}" for x in m.materials) or none),
        (_("公開・非公開"), m.publicity),
        (_("傍聴者数"), _("{n}名").format(n=m.observers)),
    ]
    if data.secretariat:
        # The 事務局 attend to run the meeting; they are not counted among the 委員等.
        rows.insert(4, (_("事務局"), _("{n}名").format(n=len(data.secretariat))
                        + "\n" + "\n".join(data.secretariat)))
    rows += list(data.extra.items())
    return rows


def minutes_story(data: MinutesData) -> list:
    """Flowables of the 会議録."""
    st = styles()
    story: list = [paragraph(data.meeting.title, "center"),
                   paragraph(data.heading, "title"),
                   # One person a line, never broken inside a name.
                   kv_table(_header_rows(data), keep_labels=(_("出席者"), _("欠席者"), _("事務局"))),
                   Spacer(1, 6 * mm), paragraph(_("議事の概要"), "heading")]
    label = ParagraphStyle("minutes_label", parent=st["body"], fontName=st["heading"].fontName)
    text = ParagraphStyle("minutes_text", parent=st["body"], leftIndent=4 * mm)
    if not data.items:
        story.append(paragraph(_("（記録なし）"), text))
    for i, item in enumerate(data.items, start=1):
        head = f"({i}) {item.kind}　{item.title}" if item.kind else f"({i}) {item.title}"
        if item.presenter:
            head += _("（説明：{p}）").format(p=item.presenter)
        block = [paragraph(head, label)]
        block.append(paragraph(item.summary or _("（要点の記録なし）"), text))
        story.append(KeepTogether(block))
        if item.decisions:
            story.append(paragraph(_("【決定事項】"), label))
            for d in item.decisions:
                story.append(paragraph(f"・{d}", text))
        if item.actions:
            story.append(paragraph(_("【対応事項】"), label))
            widths = [FRAME_WIDTH - 4 * mm - 72 * mm, 42 * mm, 30 * mm]
            table = grid_table([_("内容"), _("担当"), _("期限")], [
                [a.description, a.assignee, date_text(a.due_on, weekday=False)]
                for a in item.actions
            ], col_widths=widths)
            table.hAlign = "RIGHT"
            story.append(table)
        story.append(Spacer(1, 4 * mm))
    story.append(paragraph(_("次回予定"), "heading"))
    story.append(paragraph(data.meeting.next_plan or _("未定"), text))
    return story


def write_minutes(path: str | Path, data: MinutesData) -> int:
    """Write the 会議録 PDF; return its page count."""
    return build_pdf(path, minutes_story(data), title=minutes_title(data),
                     author=data.office.secretariat, marking=data.marking)
