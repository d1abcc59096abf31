"""Pieces every meeting document shares: 和暦 date lines, the 記 list, the 担当 box."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_time_range
from pfdesk.documents.meeting.data import MeetingInfo, Office
from pfdesk.documents.pdf import FRAME_WIDTH, GOTHIC, paragraph, styles


def when_text(m: MeetingInfo) -> str:
    """「令和8年12月10日（木）14時～16時」: the day with 曜日 and the time span."""
    text = format_date(m.held_on, weekday=True)
    if m.start_time is not None:
        text += "　" + format_time_range(m.start_time, m.end_time)
    return text


def where_text(m: MeetingInfo) -> str:
    """The place, with 「（オンライン併用）」 when members may join online."""
    place = m.place or _("（未定）")
    return place + (_("（オンライン併用）") if m.online else "")


def date_text(d: date | None, *, weekday: bool = True) -> str:
    """A 和暦 date, or an empty string."""
    return format_date(d, weekday=weekday) if d else ""


def time_text(t: time | None) -> str:
    """「14時」 or empty."""
    return format_time_range(t).rstrip("～") if t else ""


def numbered_list(rows: Sequence[tuple[str, object]], *, label_width: float = 30 * mm,
                  style: str = "body") -> Table:
    """The 記 list: 「1　日　時」 on the left, the content on the right, no rules."""
    st = styles()
    data = [[paragraph(k, st[style]), v if not isinstance(v, str) else paragraph(v, st[style])]
            for k, v in rows]
    # splitInRow: a long 議題 continues on the next page instead of moving there whole.
    table = Table(data, colWidths=[label_width, FRAME_WIDTH - label_width], hAlign="LEFT",
                  splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), GOTHIC),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def contact_box(office: Office, *, width: float = 85 * mm) -> Table:
    """The 担当 box at the bottom right of a notice: section, person, phone, FAX, mail."""
    st = styles()
    small = ParagraphStyle("contact", parent=st["small"], alignment=TA_LEFT)
    lines = [_("【担当】{who}").format(who=office.contact_person or office.secretariat)]
    if office.phone:
        lines.append(_("電話　{v}").format(v=office.phone))
    if office.fax:
        lines.append(_("FAX　{v}").format(v=office.fax))
    if office.email:
        lines.append(_("メール　{v}").format(v=office.email))
    table = Table([[paragraph("\n".join(lines), small)]], colWidths=[width], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), GOTHIC),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def indented(text: str, style: str = "body", *, indent_chars: float = 1) -> Paragraph:
    """A body paragraph whose first line is indented one character, as letters are."""
    st = styles()[style]
    return paragraph(text, ParagraphStyle(f"{st.name}_ind", parent=st,
                                          firstLineIndent=st.fontSize * indent_chars))


def agenda_lines(m: MeetingInfo, *, with_materials: bool = False,
                 merge_repeats: bool = False) -> list[str]:
    """「(1) 相談状況について【資料1】」 for each 議題/報告, in order.

    With ``merge_repeats`` (the notice) items of the same title are listed once with their
    count: 「(2) 個別ケースの検討（2件）」.
    """
    items = list(m.agenda)
    counts: dict[str, int] = {}
    for item in items:
        counts[item.title] = counts.get(item.title, 0) + 1
    lines: list[str] = []
    seen: set[str] = set()
    for item in items:
        if merge_repeats:
            if item.title in seen:
                continue
            seen.add(item.title)
        text = f"({len(lines) + 1}) {item.title}"
        if merge_repeats and counts[item.title] > 1:
            text += _("（{n}件）").format(n=counts[item.title])
        if with_materials and item.materials:
            text += "【" + "・".join(item.materials) + "】"
        lines.append(text)
    return lines


#: The order of a 名簿: 会長, 副会長, 委員, オブザーバー, then the 事務局 last.
ROLE_ORDER = ("会長", "副会長", "委員", "オブザーバー", "事務局")


def role_rank(role: str) -> int:
    """Sort key of a 役職 label; other labels come after 委員, before オブザーバー."""
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else 2


#: Printed above every 名簿: the names carry no 様.
NO_HONORIFICS = "（敬称略）"
