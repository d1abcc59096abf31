"""次第 (agenda with the 配布資料 list), 出席者名簿 (attendance list) and 受付名簿 (sign-in sheet)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from pfdesk.core.i18n import _
from pfdesk.documents.meeting.common import (
    NO_HONORIFICS,
    numbered_list,
    role_rank,
    when_text,
    where_text,
)
from pfdesk.documents.meeting.data import MeetingInfo, Office
from pfdesk.documents.pdf import FRAME_WIDTH, GOTHIC, build_pdf, grid_table, paragraph, styles

#: The fixed frame of a 次第; the 議題 and 報告 of the meeting go between them.
_OPENING = ("開会", "あいさつ")


def _title_block(m: MeetingInfo, heading: str) -> list:
    st = styles()
    sub = ParagraphStyle("sub", parent=st["body"], fontName=GOTHIC, fontSize=12, leading=18,
                         alignment=TA_CENTER)
    return [paragraph(m.title, sub), Spacer(1, 2 * mm), paragraph(heading, "title")]


def _when_where(m: MeetingInfo) -> Table:
    rows: list[tuple[str, object]] = [(_("日時"), when_text(m)), (_("場所"), where_text(m))]
    table = numbered_list(rows, label_width=14 * mm, style="small")
    table.hAlign = "RIGHT"
    table._argW = [14 * mm, 90 * mm]  # a compact block at the right, as printed 次第 have
    return table


def agenda_story(m: MeetingInfo, office: Office | None = None) -> list:
    """Flowables of the 次第: 開会, あいさつ, 議題 (1)(2)…, 報告, その他, 閉会, then 配布資料."""
    st = styles()
    item_style = ParagraphStyle("agenda_item", parent=st["body"], fontSize=11.5, leading=20)
    sub_style = ParagraphStyle("agenda_sub", parent=item_style, leftIndent=8 * mm)
    story: list = _title_block(m, _("次　　第"))
    story += [_when_where(m), Spacer(1, 8 * mm)]
    if m.theme:
        story.append(paragraph(_("テーマ　{t}").format(t=m.theme), item_style))
        if m.lecturer:
            story.append(paragraph(_("講　師　{t}").format(t=m.lecturer), item_style))
        story.append(Spacer(1, 4 * mm))
    sections: list[tuple[str, list[str]]] = [(_(s), []) for s in _OPENING]
    groups: dict[str, list[str]] = {"議題": [], "報告": [], "その他": []}
    for item in m.agenda:
        text = item.title
        if item.presenter:
            text += _("（{p}）").format(p=item.presenter)
        if item.materials:
            text += "　【" + "・".join(item.materials) + "】"
        if item.closed:
            text += _("　※非公開")
        groups.setdefault(item.kind, []).append(text)
    sections.append((_("議題"), groups["議題"]))
    if groups["報告"]:
        sections.append((_("報告"), groups["報告"]))
    sections.append((_("その他"), groups["その他"]))
    sections.append((_("閉会"), []))
    for n, (head, subs) in enumerate(sections, start=1):
        story.append(paragraph(f"{n}　{head}", item_style))
        for i, sub in enumerate(subs, start=1):
            story.append(paragraph(f"({i})　{sub}", sub_style))
        story.append(Spacer(1, 5 * mm if subs else 3 * mm))
    story.append(Spacer(1, 6 * mm))
    story.append(paragraph(_("【配布資料】"), "heading"))
    lines = [_("次第"), _("出席者名簿")]
    lines += [f"{mat.label}　{mat.title}" for mat in m.materials]
    for line in lines:
        story.append(paragraph(line, ParagraphStyle("mat", parent=st["body"],
                                                    leftIndent=4 * mm)))
    return story


def write_agenda(path: str | Path, m: MeetingInfo, office: Office, *,
                 marking: str | None = None) -> int:
    """Write the 次第 PDF; return its page count."""
    return build_pdf(path, agenda_story(m, office), title=_("次第　{t}").format(t=m.title),
                     author=office.secretariat, marking=marking)


def roster_counts(m: MeetingInfo) -> str:
    """「委員等 12名（うち出席 10名）　事務局 2名　傍聴者 3名」: the 事務局 counted apart."""
    taking_part = (_("出席"), _("代理出席"), _("オンライン"))
    members = [a for a in m.attendees if not a.secretariat]
    text = _("委員等 {n}名（うち出席 {p}名）").format(
        n=len(members), p=sum(1 for a in members if a.response in taking_part))
    staff = len(m.attendees) - len(members)
    if staff:
        text += _("　事務局 {n}名").format(n=staff)
    return text + _("　傍聴者 {o}名").format(o=m.observers)


def roster_story(m: MeetingInfo) -> list:
    """Flowables of the 出席者名簿: 所属, 職名, 氏名, 出欠 (with 代理・遅参 notes)."""
    story: list = _title_block(m, _("出席者名簿"))
    story += [_when_where(m), Spacer(1, 6 * mm)]
    # 会長, 副会長, 委員, オブザーバー, 事務局: the invitation order within each role.
    ordered = sorted(m.attendees, key=lambda a: (a.secretariat, role_rank(a.role)))
    rows = [
        [str(i), a.affiliation, a.title, a.name, a.role, a.response, a.note]
        for i, a in enumerate(ordered, start=1)
    ]
    story.append(paragraph(_(NO_HONORIFICS), "body_right"))
    # Widths measured from the names: 氏名 and 出欠 stay on one line, 所属 wraps.
    story.append(grid_table(
        [_("No."), _("所属"), _("職名"), _("氏名"), _("役職"), _("出欠"), _("備考")], rows,
    ))
    story.append(Spacer(1, 3 * mm))
    story.append(paragraph(roster_counts(m), "small"))
    return story


def write_roster(path: str | Path, m: MeetingInfo, office: Office, *,
                 marking: str | None = None) -> int:
    """Write the 出席者名簿 PDF; return its page count."""
    return build_pdf(path, roster_story(m), title=_("出席者名簿　{t}").format(t=m.title),
                     author=office.secretariat, marking=marking)


#: Blank rows at the end of the sign-in sheet for proxies and unannounced attendees.
SIGNIN_SPARE_ROWS = 4


def signin_story(m: MeetingInfo) -> list:
    """Flowables of the 受付名簿: one row per invited member with a wide signature column."""
    story: list = _title_block(m, _("受付名簿"))
    story += [_when_where(m), Spacer(1, 6 * mm)]
    ordered = sorted(m.attendees, key=lambda a: (a.secretariat, role_rank(a.role)))
    rows = [[str(i), a.affiliation, a.title, a.name, "", ""]
            for i, a in enumerate(ordered, start=1)]
    start = len(rows) + 1
    rows += [[str(start + k), "", "", "", "", ""] for k in range(SIGNIN_SPARE_ROWS)]
    widths = [9 * mm, 45 * mm, 28 * mm, 30 * mm, 40 * mm]
    widths.append(FRAME_WIDTH - sum(widths))
    table = grid_table([_("No."), _("所属"), _("職名"), _("氏名"), _("署名"), _("備考")],
                       rows, col_widths=widths)
    # Room to sign by hand: rows as tall as a pen signature needs.
    table._argH = [None] + [11 * mm] * len(rows)
    table.setStyle(TableStyle([("VALIGN", (0, 1), (-1, -1), "MIDDLE")]))
    story.append(table)
    story.append(Spacer(1, 3 * mm))
    story.append(paragraph(_("代理で出席された方は、備考欄に「○○代理」とご記入ください。"),
                           "small"))
    return story


def write_signin(path: str | Path, m: MeetingInfo, office: Office, *,
                 marking: str | None = None) -> int:
    """Write the 受付名簿 PDF; return its page count."""
    return build_pdf(path, signin_story(m), title=_("受付名簿　{t}").format(t=m.title),
                     author=office.secretariat, marking=marking)
