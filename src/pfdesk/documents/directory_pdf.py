"""Printed directory: the 名簿 (per 会議体 or all, 五十音順) and 宛名ラベル on A4 12面 sheets.

Built from plain records; characters the embedded font cannot draw (𠮷 in most fonts)
are printed in their everyday form (吉) rather than as blank boxes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _
from pfdesk.core.tabular import GETA
from pfdesk.documents.pdf import (
    FRAME_WIDTH,
    GOTHIC,
    MINCHO,
    build_pdf,
    grid_table,
    paragraph,
    register_fonts,
)

# Everyday forms for characters a font may lack (the same ones cp932 exports use).
_SUBSTITUTES = {"𠮷": "吉", "𡈽": "土", "𣘺": "橋", "﨑": "崎", "髙": "高", "濵": "浜"}


def printable(text: str, font: str = GOTHIC) -> str:
    """``text`` with every character the font lacks replaced by its everyday form or 〓."""
    register_fonts()
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    out = []
    for ch in text or "":
        if ord(ch) in glyphs or ch in "\n\t ":
            out.append(ch)
        else:
            sub = _SUBSTITUTES.get(ch, GETA)
            out.append(sub if all(ord(c) in glyphs for c in sub) else GETA)
    return "".join(out)


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
    story = [paragraph(printable(title), "title"),
             paragraph(printable(_("{day}現在　{n}名").format(day=as_of, n=len(entries))),
                       "body_right"),
             Spacer(0, 4 * mm)]
    headers = [_("No."), _("所属"), _("部署・職名"), _("氏名"), _("電話")]
    widths = [10 * mm, 52 * mm, 38 * mm, 38 * mm, 27 * mm]
    if show_role:
        headers.insert(1, _("役職"))
        widths = [10 * mm, 14 * mm, 42 * mm, 33 * mm, 39 * mm, 27 * mm]
    scale = FRAME_WIDTH / sum(widths)
    rows = []
    for n, e in enumerate(entries, 1):
        post = "\n".join(x for x in (e.department, e.title) if x)
        name = f"{e.name}\n（{e.kana}）" if e.kana else e.name
        row = [str(n), e.organization, post, name, e.phone]
        if show_role:
            row.insert(1, e.role)
        rows.append([printable(c) for c in row])
    if not rows:
        story.append(paragraph(_("該当する方はいません。")))
    else:
        story.append(grid_table(headers, rows, [w * scale for w in widths]))
    if issuer:
        story += [Spacer(0, 4 * mm), paragraph(printable(issuer), "body_right")]
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
    w = pdfmetrics.stringWidth(text, font, size)
    return size if w <= width else max(6.0, size * width / w)


def _draw_label(c: Canvas, x: float, y_top: float, label: Label) -> None:
    pad = 5 * mm
    width = LABEL_W - 2 * pad
    y = y_top - pad - 9
    c.setFont(GOTHIC, 9)
    if label.postal_code:
        c.drawString(x + pad, y, printable(f"〒{label.postal_code}"))
    y -= 12
    address = printable(label.address, MINCHO)
    c.setFont(MINCHO, _fit(address, MINCHO, 10, width))
    c.drawString(x + pad, y, address)
    y -= 16
    for line in label.lines:
        text = printable(line, MINCHO)
        c.setFont(MINCHO, _fit(text, MINCHO, 10, width))
        c.drawString(x + pad + 2 * mm, y, text)
        y -= 13
    name = printable(f"{label.name}　{label.honorific}", MINCHO)
    size = _fit(name, MINCHO, 13, width - 4 * mm)
    c.setFont(MINCHO, size)
    y = min(y - 3, y_top - LABEL_H + pad + 2)
    c.drawRightString(x + LABEL_W - pad, y, name)


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
