"""The one office style every printed document shares: A4, Japanese fonts, page furniture.

Furniture means the 資料番号 box top-right, a red handling mark top-left and the page
number 「- 1 -」 at the bottom; the same furniture can be stamped onto attached PDFs.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, FloatObject, NameObject
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.errors import FileProblem
from pfdesk.core.i18n import _
from pfdesk.documents import table_layout
from pfdesk.documents.glyphs import (
    GOTHIC,
    MINCHO,
    collect_glyph_problems,
    markup,
    printable,
    register_fonts,
)
from pfdesk.documents.kinsoku import JaParagraph, protect

__all__ = ["GOTHIC", "MINCHO", "collect_glyph_problems", "markup", "printable", "register_fonts"]

# Wider on the left: that is where documents are stapled or punched for the binder.
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT

_MARK_RED = colors.HexColor("#C00000")
_GRID_GREY = colors.HexColor("#808080")
_SHADE = colors.HexColor("#E7E6E6")


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles for office documents: mincho 10.5pt body, gothic headings and tables.

    Keys: title, heading, body, body_right, small, cell, cell_small, center. All break
    lines the Japanese way. A fresh dict each call, so callers may adjust their copy.
    """
    gothic, mincho = register_fonts()
    body = ParagraphStyle("body", fontName=mincho, fontSize=10.5, leading=17, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=gothic, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        # Titles and headings keep with what follows: never alone at the foot of a page.
        "title": ParagraphStyle("title", parent=body, fontName=gothic, fontSize=16, leading=24,
                                alignment=TA_CENTER, spaceAfter=12, keepWithNext=1),
        "heading": ParagraphStyle("heading", parent=body, fontName=gothic, fontSize=12,
                                  leading=18, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "body": body,
        "body_right": ParagraphStyle("body_right", parent=body, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=13),
        "cell": cell,
        "cell_small": ParagraphStyle("cell_small", parent=cell, fontSize=8, leading=10.5),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
    }


@functools.cache
def _shared_styles() -> dict[str, ParagraphStyle]:
    """One set of styles for :func:`paragraph`, which only reads them.

    Without it a table of thousands of cells builds the whole set once per cell.
    """
    return styles()


def paragraph(text: Any, style: str | ParagraphStyle = "body", *, keep: bool = False) -> Paragraph:
    """A paragraph of plain user text: markup characters are escaped, line breaks kept.

    Lines break by Japanese rules (:mod:`pfdesk.documents.kinsoku`): never before 、。」ー,
    never inside a date, a time or a counted number; with ``keep`` (a name, an
    organisation) only after a space, unless the text cannot fit otherwise. Characters
    the style's font lacks (𠮷 and other rare 異体字) are drawn from a fallback font when
    one is installed, so names print as typed.
    """
    chosen = _shared_styles()[style] if isinstance(style, str) else style
    plain = "" if text is None else str(text)
    body = markup(protect(plain.replace("\r\n", "\n"), keep), chosen.fontName)
    return JaParagraph(body.replace("\n", "<br/>"), chosen)


# ---------------------------------------------------------------------------------------------
# Page furniture


def _boxed(c: Canvas, text: str, *, right: float | None, left: float | None, top: float,
           size: float, color: colors.Color, bold: bool) -> float:
    """Draw ``text`` in a white box hanging from ``top``; return the box's bottom edge."""
    c.saveState()
    pad = 1.6 * mm
    width = pdfmetrics.stringWidth(text, GOTHIC, size) + 2 * pad
    height = size + 2 * pad
    x = (right - width) if right is not None else (left or 0)
    y = top - height
    c.setFillColor(colors.white)
    c.setStrokeColor(color)
    c.setLineWidth(0.8 if bold else 0.6)
    c.rect(x, y, width, height, stroke=1, fill=1)
    t = c.beginText(x + pad, y + pad + size * 0.14)
    t.setFont(GOTHIC, size)
    if bold:
        # Fill plus a thin outline thickens the strokes: a bold look without a bold font.
        t.setTextRenderMode(2)
        c.setLineWidth(0.35)
    c.setFillColor(color)
    t.textOut(text)
    t.setTextRenderMode(0)  # the mode outlives the text object; later text must be plain
    c.drawText(t)
    c.restoreState()
    return y


def _draw_furniture(c: Canvas, width: float, height: float, *, number: str | None,
                    header_right: str | None, copy_label: str | None, marking: str | None,
                    right_margin: float = MARGIN_RIGHT, left_margin: float = MARGIN_LEFT) -> None:
    c.saveState()
    header_right, copy_label, marking = (
        printable(t) if t else t for t in (header_right, copy_label, marking)
    )
    top = height - 10 * mm
    label_top = top
    if header_right:
        label_top = _boxed(c, header_right, right=width - right_margin, left=None, top=top,
                           size=12, color=colors.black, bold=False) - 1.2 * mm
    if copy_label:
        c.setFillColor(colors.black)
        c.setFont(GOTHIC, 9)
        c.drawRightString(width - right_margin, label_top - 9, copy_label)
    if marking:
        _boxed(c, marking, right=None, left=left_margin, top=top, size=10.5,
               color=_MARK_RED, bold=True)
    if number:
        size = 9
        text_width = pdfmetrics.stringWidth(number, GOTHIC, size)
        baseline = 10 * mm
        # White backing hides an attached file's own page number printed about there
        # (a little lower once the page is shrunk below the stamp band).
        c.setFillColor(colors.white)
        c.rect(width / 2 - text_width / 2 - 3 * mm, baseline - 5 * mm,
               text_width + 6 * mm, size + 5.5 * mm, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(GOTHIC, size)
        c.drawCentredString(width / 2, baseline, number)
    c.restoreState()


def _page_label(number: int, total: int | None) -> str:
    return f"- {number} / {total} -" if total else f"- {number} -"


def build_pdf(
    path: str | Path,
    story: list,
    *,
    title: str,
    author: str = "",
    header_right: str | None = None,
    marking: str | None = None,
    page_numbers: bool = True,
    copy_label: str | None = None,
    first_page_header: bool = True,
) -> int:
    """Lay out ``story`` on A4 portrait pages and save it to ``path``; return the page count.

    ``header_right`` (資料番号 such as 「資料1」) is boxed top-right and ``copy_label``
    (「No. 3」) printed under it, on every page or, with ``first_page_header=False``, from
    page 2 on. ``marking`` (「取扱注意・会議終了後回収」) is boxed in red top-left on every
    page. Page numbers read 「- 1 -」. The file is replaced only once complete.
    """
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4,
        leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=title, author=author, creator="pfdesk", lang="ja-JP",
        # Start pages in our own font so no unembedded Helvetica is referenced.
        initialFontName=GOTHIC,
    )
    pages = 0

    def on_page(canvas: Canvas, _doc: Any) -> None:
        nonlocal pages
        pages = canvas.getPageNumber()
        show_header = first_page_header or pages > 1
        _draw_furniture(
            canvas, *A4,
            number=_page_label(pages, None) if page_numbers else None,
            header_right=header_right if show_header else None,
            copy_label=copy_label if show_header else None,
            marking=marking,
        )

    doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    write_bytes_atomic(path, buffer.getvalue())
    return pages


# ---------------------------------------------------------------------------------------------
# Existing PDFs


def _read_pdf(data: bytes, source: str) -> PdfReader:
    name = source or _("添付の PDF")
    locked = False
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs only restrict printing/editing and open with an empty password.
            locked = True
            if not reader.decrypt(""):
                raise ValueError("password required")
            locked = False
        if not len(reader.pages):  # parses the page tree: damage shows up here, not later
            raise ValueError("no pages")
    except Exception as exc:  # pypdf signals damage with many exception types
        if locked:
            problem = FileProblem(
                _("「{name}」はパスワードで保護されているため、資料に組み込めません。").format(
                    name=name
                ),
                hint=_("パスワードを外した PDF を用意してください。"),
                where=source,
            )
        else:
            problem = FileProblem(
                _("「{name}」を PDF として読み込めません。").format(name=name),
                hint=_("ファイルが壊れていないか、PDF ビューアで開けるか確認してください。"),
                where=source,
            )
        raise problem from exc
    return reader


def stamp_pdf(
    src_bytes: bytes,
    *,
    header_right: str | None,
    marking: str | None,
    page_offset: int,
    total_pages: int | None,
    page_numbers: bool = True,
    source: str = "",
) -> bytes:
    """Stamp the document furniture onto every page of an existing PDF (an attachment).

    With a 資料番号 or a marking, each page's content is first scaled (about 94% on A4)
    into the area below a reserved top band, so the boxes never cover its heading.

    Page ``i`` (from 0) is numbered ``page_offset + i + 1``, as 「- n -」, or 「- n / N -」
    when ``total_pages`` is given. Rotated and non-A4 pages are stamped at their visible
    corners. ``source`` names the file in error messages.
    """
    register_fonts()
    reader = _read_pdf(src_bytes, source)
    writer = PdfWriter(clone_from=reader)  # keeps metadata, links and form fields
    for page in writer.pages:
        if page.rotation:
            # Bake the rotation in so "top right" means what the reader sees.
            page.transfer_rotation_to_content()
        if header_right or marking:
            _shrink_below_band(page)
    overlay_buffer = io.BytesIO()
    canvas = Canvas(overlay_buffer, initialFontName=GOTHIC)
    for index, page in enumerate(writer.pages):
        box = page.cropbox
        width, height = float(box.width), float(box.height)
        canvas.setPageSize((width, height))
        # Attachments have their own layout; hug the edges more closely than our own pages.
        _draw_furniture(
            canvas, width, height,
            number=_page_label(page_offset + index + 1, total_pages) if page_numbers else None,
            header_right=header_right, copy_label=None, marking=marking,
            right_margin=min(MARGIN_RIGHT, width * 0.08),
            left_margin=min(MARGIN_LEFT, width * 0.08),
        )
        canvas.showPage()
    canvas.save()
    overlay = PdfReader(overlay_buffer)
    for page, stamp in zip(writer.pages, overlay.pages, strict=True):
        box = page.cropbox
        page.merge_transformed_page(
            stamp, Transformation().translate(float(box.left), float(box.bottom))
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: Height kept free at the top of an attached page for the 資料番号 and marking boxes:
#: the boxes hang 10 mm from the edge, are 12 pt text plus padding tall, then a 2 mm gap.
STAMP_BAND = 10 * mm + 12 + 2 * 1.6 * mm + 2 * mm


def stamp_scale(height: float) -> float:
    """How far an attached page of ``height`` shrinks so the top band is free (A4: ~93.5%)."""
    return max(0.5, (height - STAMP_BAND) / height)


def _shrink_below_band(page: Any) -> None:
    """Scale the page's content (and links) so nothing lies under the stamped boxes.

    The content shrinks towards the bottom centre: the original's own bottom margin
    holds our page number, as before, and the top band is left empty.
    """
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    scale = stamp_scale(height)
    dx = left + (width - width * scale) / 2
    move = (Transformation().translate(-left, -bottom).scale(scale, scale)
            .translate(dx, bottom))
    page.add_transformation(move)
    for annot in page.get("/Annots") or []:
        obj = annot.get_object()
        rect = obj.get("/Rect")
        if rect is not None and len(rect) == 4:
            x1, y1 = move.apply_on((float(rect[0]), float(rect[1])))
            x2, y2 = move.apply_on((float(rect[2]), float(rect[3])))
            obj[NameObject("/Rect")] = ArrayObject(
                [FloatObject(x1), FloatObject(y1), FloatObject(x2), FloatObject(y2)])


def _copy_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    info: dict[Any, Any] = reader.metadata or {}
    writer.add_metadata({k: str(v) for k, v in info.items() if isinstance(v, str)})


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """Concatenate PDFs in order; the result keeps the first part's title and author."""
    writer = PdfWriter()
    for index, data in enumerate(parts):
        reader = _read_pdf(data, "")
        writer.append(reader)
        if index == 0:
            _copy_metadata(reader, writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Tables


def _cells(values: Sequence[Any], style: ParagraphStyle) -> list[Paragraph]:
    return [paragraph(v, style) for v in values]


def _base_style() -> list[tuple]:
    return [
        # Tables select their cell font even for Paragraph cells; without this every table
        # would pull in an unembedded Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), GOTHIC),
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID_GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]


def kv_table(rows: Sequence[tuple[str, Any]], col_widths: Sequence[float] | None = None,
             *, keep_labels: Sequence[str] = ()) -> Table:
    """A two-column 項目 | 内容 table (日時, 場所 …) with the labels shaded.

    Values of rows labelled in ``keep_labels`` (出席者 …, one person a line) break only
    at spaces, so no name is split.
    """
    st = _shared_styles()
    widths = list(col_widths) if col_widths else [32 * mm, FRAME_WIDTH - 32 * mm]
    data = [[paragraph(k, st["cell"]), paragraph(v, st["cell"], keep=k in keep_labels)]
            for k, v in rows]
    table = Table(data, colWidths=widths, splitInRow=1)
    table.setStyle(TableStyle([*_base_style(), ("BACKGROUND", (0, 0), (0, -1), _SHADE)]))
    return table


def grid_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float] | None = None,
    repeat_header: bool = True,
    *,
    keep_cols: Sequence[int] | None = None,
) -> Table:
    """A ruled table with a shaded header row that repeats on each page; long text wraps.

    Without ``col_widths`` the columns are measured from their content
    (:mod:`table_layout`). Names and dates (columns titled 氏名, 担当, 期限 …, or
    ``keep_cols``) break only between 姓 and 名 if at all; numbers are right-aligned.
    Rows stay whole on one page unless one row is too tall for that.
    """
    st = _shared_styles()
    cell = st["cell"]
    head_style = ParagraphStyle("cell_head", parent=cell, alignment=TA_CENTER)
    right = ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT)
    ncols = len(headers)
    body = [list(r) + [""] * (ncols - len(r)) for r in rows]
    keep = set(keep_cols) if keep_cols is not None else {
        c for c, h in enumerate(headers) if table_layout.is_keep_header(h)}
    numeric = table_layout.numeric_columns(body, ncols)
    widths = list(col_widths) if col_widths else table_layout.measured_widths(
        headers, body, FRAME_WIDTH, cell.fontName, cell.fontSize, keep)
    data = [_cells(headers, head_style)]
    data += [[paragraph(v, right if c in numeric else cell, keep=c in keep)
              for c, v in enumerate(r)] for r in body]
    # A row taller than half a page (a long 議事の概要) may continue on the next page;
    # all other rows move to the next page whole.
    tall = table_layout.tallest_row(body, widths, cell.fontName, cell.fontSize, cell.leading)
    split_rows = 1 if tall > (A4[1] - MARGIN_TOP - MARGIN_BOTTOM) / 2 else 0
    table = Table(data, colWidths=widths, repeatRows=1 if repeat_header else 0,
                  splitInRow=split_rows)
    table.setStyle(TableStyle([
        *_base_style(),
        ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
    ]))
    return table
