"""会議録 / 議事要旨: the header table, then per item the summary, decisions and action items."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_time
from pfdesk.documents.meeting.common import date_text, when_text, where_text
from pfdesk.documents.meeting.data import MinutesData
from pfdesk.documents.pdf import FRAME_WIDTH, build_pdf, grid_table, kv_table, paragraph, styles

#: The heading that makes the minutes a public summary (see :func:`public_summary_story`).
PUBLIC_SUMMARY = "議事要旨"


def minutes_title(data: MinutesData) -> str:
    """「令和8年度第3回○○　会議録」."""
    return f"{data.meeting.title}　{data.heading}"


def _header_rows(data: MinutesData) -> list[tuple[str, str]]:
    m = data.meeting
    none = _("なし")
    rows = [
        (_("日時"), when_text(m)),
        *([(_("開会・閉会"), _("開会　{start}　　閉会　{end}").format(
            start=format_time(m.start_time),
            end=format_time(m.end_time) if m.end_time else "―"))] if m.start_time else []),
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
        rows.insert(1 + [k for k, _v in rows].index(_("欠席者")), (_("事務局"), _("{n}名").format(n=len(data.secretariat))
                        + "\n" + "\n".join(data.secretariat)))
    rows += list(data.extra.items())
    return rows


def _closing(data: MinutesData) -> list:
    """作成日 and 記録者 at the foot, then the chair's 署名欄 when asked for."""
    st = styles()
    story: list = [Spacer(1, 6 * mm)]
    made = [(_("作成日"), date_text(data.created_on, weekday=False)),
            (_("記録者"), data.recorder)]
    line = "　".join(f"{k}　{v}" for k, v in made if v)
    if line:
        story.append(paragraph(line, "body_right"))
    if data.signature:
        box_style = ParagraphStyle("sign", parent=st["body"], leading=22)
        table = Table([[paragraph(_("上記のとおり相違ないことを確認します。\n"
                                    "　　年　　月　　日\n会長（議長）　署名"), box_style),
                        ""]], colWidths=[95 * mm, 45 * mm], rowHeights=[30 * mm],
                      hAlign="RIGHT")
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("LINEBEFORE", (1, 0), (1, 0), 0.4, colors.grey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 4 * mm), KeepTogether([table])]
    return story


def _next_plan(data: MinutesData) -> str:
    parts = []
    if data.next_meeting:
        parts.append(data.next_meeting)
    if data.meeting.next_plan:
        parts.append(data.meeting.next_plan)
    return "\n".join(parts) or _("未定")


def public_summary_story(data: MinutesData) -> list:
    """The 議事要旨 for the town's website: what was decided and how many took part.

    No names: attendees are counted, presenters and the 要点筆記 left out, case and
    非公開 items only counted.
    """
    m = data.meeting
    st = styles()
    open_items = [it for it in data.items if not it.closed]
    closed = len(data.items) - len(open_items)
    rows = [
        (_("日時"), when_text(m)),
        (_("場所"), where_text(m)),
        (_("出席者"), _("委員等 {n}名").format(n=len(data.present))
         + (_("　事務局 {n}名").format(n=len(data.secretariat)) if data.secretariat else "")),
        (_("議題"), "\n".join(f"({i}) {it.title}" for i, it in enumerate(open_items, 1))
         + (("\n" if open_items else "") + _("非公開の議題 {n}件").format(n=closed)
            if closed else "") or _("なし")),
        (_("傍聴者数"), _("{n}名").format(n=m.observers)),
    ]
    story: list = [paragraph(m.title, "center"), paragraph(data.heading, "title"),
                   kv_table(rows), Spacer(1, 6 * mm), paragraph(_("決定事項"), "heading")]
    text = ParagraphStyle("summary_text", parent=st["body"], leftIndent=4 * mm)
    decided = [(it, d) for it in open_items for d in it.decisions]
    if not decided:
        story.append(paragraph(_("（決定事項なし）"), text))
    for i, it in enumerate(open_items, start=1):
        if it.decisions:
            story.append(paragraph(f"({i}) {it.title}", "body"))
            story += [paragraph(f"・{d}", text) for d in it.decisions]
    story += [Spacer(1, 4 * mm), paragraph(_("次回予定"), "heading"),
              paragraph(_next_plan(data), text)]
    made = date_text(data.created_on, weekday=False)
    if made:
        story += [Spacer(1, 6 * mm), paragraph(_("作成日　{d}").format(d=made), "body_right")]
    return story


def minutes_story(data: MinutesData) -> list:
    """Flowables of the 会議録 (or of the public 議事要旨)."""
    if data.heading == PUBLIC_SUMMARY:
        return public_summary_story(data)
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
    story.append(paragraph(_next_plan(data), text))
    story += _closing(data)
    return story


def write_minutes(path: str | Path, data: MinutesData) -> int:
    """Write the 会議録 PDF; return its page count."""
    return build_pdf(path, minutes_story(data), title=minutes_title(data),
                     author=data.office.secretariat, marking=data.marking)
