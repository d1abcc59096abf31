"""Printed directory: the 名簿 (per 会議体 or all, 五十音順) and 宛名ラベル on A4 12面 sheets.

Built from plain records. Characters the main font cannot draw (𠮷 in most fonts) come
from a fallback font when one is installed, else print in their everyday form (吉),
never as blank boxes (see ``documents.pdf.markup``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _
from pfdesk.documents.meeting.common import NO_HONORIFICS, role_rank
from pfdesk.documents.pdf import (
    GOTHIC,
    MINCHO,
    build_pdf,
    grid_table,
    markup,
    paragraph,
    printable,
    register_fonts,
)


@dataclass(frozen=True)
class RosterEntry:
    """One line of the 名簿."""

    organization: str
    department: str
    title: str
    name: str
    kana: str
    phone: str
    role: str = ""  # 会議体での役職 (会長, 委員 …), on a body's 名簿
    term: str = ""  # 任期 (委嘱期間), on a body's 名簿


def build_roster_pdf(
    path: str | Path,
    *,
    title: str,
    as_of: str,
    entries: Sequence[RosterEntry],
    show_role: bool,
    issuer: str = "",
) -> int:
    """Write the 名簿 as a ruled table (所属, 部署・職名, 氏名 with ふりがな, 電話); page count."""
    story = [paragraph(title, "title"),
             paragraph(_("{day}現在　{n}名　{honorifics}").format(
                 day=as_of, n=len(entries), honorifics=_(NO_HONORIFICS)), "body_right"),
             Spacer(0, 4 * mm)]
    headers = [_("No."), _("所属"), _("部署・職名"), _("氏名"), _("電話")]
    with_term = show_role and any(e.term for e in entries)
    if show_role:
        headers.insert(1, _("役職"))
    if with_term:
        # The phone gives way to the 任期 a 委員名簿 must show.
        headers[-1] = _("任期")
    if show_role:
        # 会長, 副会長, 委員, オブザーバー, 事務局 last; 五十音順 within each.
        entries = sorted(entries, key=lambda e: role_rank(e.role))
    rows = []
    for n, e in enumerate(entries, 1):
        post = "\n".join(x for x in (e.department, e.title) if x)
        name = f"{e.name}\n（{e.kana}）" if e.kana else e.name
        last = e.term.replace("～", "～\n") if with_term else e.phone
        row = [str(n), e.organization, post, name, last]
        if show_role:
            row.insert(1, e.role)
        rows.append(row)
    if not rows:
        story.append(paragraph(_("該当する方はいません。")))
    else:
        # Measured from the content: a name and its reading each stay on one line.
        story.append(grid_table(headers, rows))
    if issuer:
        story += [Spacer(0, 4 * mm), paragraph(issuer, "body_right")]
    return build_pdf(path, story, title=title, author=issuer)


@dataclass(frozen=True)
class Label:
    """One 宛名ラベル: 〒, address, the lines above the name, and the name with 様/御中."""

    postal_code: str
    address: str
    lines: tuple[str, ...]  # 機関名, 部署・職名
    name: str  # 氏名 or 機関名/部署 for 御中
    honorific: str  # "様" or "御中"


# A4 12面 (2 × 6), the common 86.4 × 42.3 mm layout (A-one 72212 and compatibles).
LABEL_W, LABEL_H = 86.4 * mm, 42.3 * mm
LABEL_LEFT, LABEL_TOP = 18.6 * mm, 21.5 * mm
LABEL_COLS, LABEL_ROWS = 2, 6
PER_SHEET = LABEL_COLS * LABEL_ROWS


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    w = pdfmetrics.stringWidth(printable(text, font), font, size)
    return size if w <= width else max(6.0, size * width / w)


def _line(c: Canvas, text: str, x: float, y: float, width: float, *, font: str, size: float,
          right: bool = False) -> None:
    """Draw one line at baseline ``y``, shrunk to fit; rare 異体字 from the fallback font."""
    fitted = _fit(text, font, size, width)
    if printable(text, font) == text:
        # The main font has every character: draw directly, keeping full-width spaces.
        c.setFont(font, fitted)
        if right:
            c.drawRightString(x + width, y, text)
        else:
            c.drawString(x, y, text)
        return
    style = ParagraphStyle("label", fontName=font, fontSize=fitted, leading=fitted * 1.2,
                           alignment=TA_RIGHT if right else TA_LEFT, wordWrap="CJK")
    # A paragraph collapses U+3000 like any space; as a character reference it keeps its width.
    para = Paragraph(markup(text, font).replace("\u3000", "&#12288;"), style)
    _w, h = para.wrap(width, 100)
    # A one-line paragraph's baseline sits one font size below its top.
    para.drawOn(c, x, y - h + fitted)


def _draw_label(c: Canvas, x: float, y_top: float, label: Label) -> None:
    pad = 5 * mm
    width = LABEL_W - 2 * pad
    y = y_top - pad - 9
    if label.postal_code:
        _line(c, f"〒{label.postal_code}", x + pad, y, width, font=GOTHIC, size=9)
    y -= 12
    _line(c, label.address, x + pad, y, width, font=MINCHO, size=10)
    y -= 16
    for text in label.lines:
        _line(c, text, x + pad + 2 * mm, y, width - 2 * mm, font=MINCHO, size=10)
        y -= 13
    y = min(y - 3, y_top - LABEL_H + pad + 2)
    _line(c, f"{label.name}　{label.honorific}", x + pad, y, width, font=MINCHO, size=13,
          right=True)


def build_labels_pdf(path: str | Path, labels: Sequence[Label], *, start_at: int = 1,
                     outline: bool = False) -> int:
    """Write labels on A4 12面 sheets, left to right, top to bottom; returns sheets used.

    ``start_at`` (1–12) skips labels already peeled off a partly used sheet; ``outline``
    draws each label's edge (for a test print on plain paper).
    """
    register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, initialFontName=GOTHIC)
    c.setTitle(_("宛名ラベル"))
    c.setCreator("pfdesk")
    _w, height = A4
    slot = max(1, min(PER_SHEET, start_at)) - 1
    sheets = 1
    for label in labels:
        if slot == PER_SHEET:
            c.showPage()
            sheets += 1
            slot = 0
        col, row = slot % LABEL_COLS, slot // LABEL_COLS
        x = LABEL_LEFT + col * LABEL_W
        y_top = height - LABEL_TOP - row * LABEL_H
        if outline:
            c.setStrokeGray(0.7)
            c.rect(x, y_top - LABEL_H, LABEL_W, LABEL_H)
        _draw_label(c, x, y_top, label)
        slot += 1
    c.showPage()
    c.save()
    write_bytes_atomic(path, buffer.getvalue())
    return sheets
