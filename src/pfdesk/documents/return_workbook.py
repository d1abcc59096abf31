"""The built-in return workbook (openpyxl), built from plain data: sheets of titled tables.

Numbers are stored as numbers (秘匿 turns a small count into the text ``＊``), headings are
Japanese, and every sheet is print-ready: a print area, fit to one page wide, and a page
header with the municipality and the period in 和暦. Cells that show a named figure are
reported back as placements, so a test (or a user) can tell which figure went where.
"""

from __future__ import annotations

import io
import unicodedata
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _


@dataclass(frozen=True)
class Fig:
    """A cell showing the named figure ``name`` with ``value``."""

    value: Any
    name: str = ""


@dataclass(frozen=True)
class Table:
    """A titled table: a header row and data rows (plain values or :class:`Fig`)."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    note: str = ""
    total_rows: int = 0  # the last ``total_rows`` rows are totals (shown bold)


@dataclass(frozen=True)
class SheetSpec:
    """One worksheet: a tab name, a heading and its tables."""

    name: str
    title: str
    tables: list[Table]
    landscape: bool = False


@dataclass(frozen=True)
class ReturnBook:
    """The whole workbook."""

    title: str
    municipality: str
    period_label: str
    sheets: list[SheetSpec]
    notes: list[str] = field(default_factory=list)  # shown under each sheet heading


@dataclass(frozen=True)
class Placement:
    """Where a named figure was written."""

    sheet: str
    cell: str
    figure: str
    value: Any


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = "游ゴシック"


def _width(value: Any) -> int:
    text = str(value if value is not None else "")
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in longest)


def _table_width(widths: dict[int, int], last: int) -> int:
    """Roughly how many half-width characters fit across the first ``last`` columns."""
    return sum(max(6, widths.get(c, 0) + 2) for c in range(1, last + 1))


def _style_head(cell) -> None:
    cell.font = Font(name=_FONT, bold=True)
    cell.fill = _HEAD_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _style_body(cell, kind: str, total: bool) -> None:
    cell.border = _BORDER
    cell.font = Font(name=_FONT, bold=total)
    if total:
        cell.fill = _TOTAL_FILL
    if kind == "number":
        cell.number_format = "#,##0"
        cell.alignment = Alignment(horizontal="right", vertical="top")
    elif kind == "short":
        cell.alignment = Alignment(horizontal="center", vertical="top")
    else:
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def _styled(cell, key, apply) -> None:
    """Style ``cell`` like the first cell styled under ``key`` in this workbook.

    Setting font, fill, border and alignment makes openpyxl hash and look each style up
    in the workbook's lists (most of the time of a 6,000-cell return); the first cell of
    a kind is styled that way, the others take a copy of its style indices.
    """
    cache = cell.parent.parent.__dict__.setdefault("_pfdesk_styles", {})
    done = cache.get(key)
    if done is None:
        apply()
        cache[key] = copy(cell._style)
    else:
        cell._style = copy(done)


def _write_sheet(ws, book: ReturnBook, spec: SheetSpec, out: list[Placement]) -> None:
    ws["A1"] = spec.title
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    ws["A2"] = f"{book.municipality}　{book.period_label}"
    ws["A2"].font = Font(name=_FONT, size=11)
    row = 3
    for note in book.notes:
        ws.cell(row=row, column=1, value=note).font = Font(name=_FONT, size=9, color="C00000")
        row += 1
    widths: dict[int, int] = {}
    max_col = 1
    for table in spec.tables:
        row += 1
        ws.cell(row=row, column=1, value=table.title).font = Font(name=_FONT, size=11, bold=True)
        row += 1
        for c, text in enumerate(table.header, start=1):
            cell = ws.cell(row=row, column=c, value=text)
            _styled(cell, "head", lambda cell=cell: _style_head(cell))
            widths[c] = max(widths.get(c, 0), min(_width(text), 16))
        max_col = max(max_col, len(table.header))
        first_total = len(table.rows) - table.total_rows
        for i, values in enumerate(table.rows):
            row += 1
            for c, v in enumerate(values, start=1):
                name = ""
                if isinstance(v, Fig):
                    name, v = v.name, v.value
                if isinstance(v, list):
                    v = "\n".join(str(x) for x in v)
                cell = ws.cell(row=row, column=c, value=v)
                if isinstance(v, int | float) and not isinstance(v, bool):
                    kind = "number"
                elif c > 1 and isinstance(v, str) and len(v) <= 2:
                    kind = "short"
                else:
                    kind = "text"
                total = i >= first_total
                _styled(cell, (kind, total),
                        lambda cell=cell, kind=kind, total=total: _style_body(cell, kind, total))
                widths[c] = max(widths.get(c, 0), min(_width(v), 60))
                if name:
                    out.append(Placement(ws.title, cell.coordinate, name, v))
        if table.note:
            row += 1
            note = ws.cell(row=row, column=1, value=table.note)
            note.font = Font(name=_FONT, size=9)
            note.alignment = Alignment(wrap_text=True, vertical="top")
            last = max(len(table.header), 1)
            if last > 1:
                # merged over the table so the note wraps inside the printed width
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
            ws.row_dimensions[row].height = 15 * max(
                1, -(-_width(table.note) // max(1, _table_width(widths, last)))
            )
        row += 1
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = max(6, w + 2)
    ws.print_area = f"A1:{get_column_letter(max_col)}{row}"
    ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.oddHeader.left.text = book.municipality
    ws.oddHeader.right.text = book.period_label
    ws.oddFooter.center.text = "&P / &N"
    ws.freeze_panes = None


def build_return_workbook(book: ReturnBook) -> tuple[Workbook, list[Placement]]:
    """The workbook in memory, and where each named figure went."""
    wb = Workbook()
    wb.remove(wb.active)
    placements: list[Placement] = []
    for spec in book.sheets:
        ws = wb.create_sheet(spec.name[:31])
        _write_sheet(ws, book, spec, placements)
    wb.properties.title = book.title
    wb.properties.creator = book.municipality or "pfdesk"
    return wb, placements


def save_return_workbook(book: ReturnBook, path: str | Path) -> list[Placement]:
    """Write the workbook to ``path`` all at once; returns the figure placements."""
    if not book.sheets:
        raise ValueError(_("シートがありません。"))
    wb, placements = build_return_workbook(book)
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(path, buf.getvalue())
    return placements
