"""The built-in return workbook (openpyxl), built from plain data: sheets of titled tables.

Numbers are stored as numbers (秘匿 turns a small count into the text ``＊``), headings are
Japanese, and every sheet is print-ready: a print area, fit to one page wide, and a page
header with the municipality and the period in 和暦. Cells that show a named figure are
reported back as placements, so a test (or a user) can tell which figure went where.

openpyxl is imported when a workbook is built, not with this module: the 報告 page and the
services that describe a return import it without paying for the Excel library.
"""

from __future__ import annotations

import unicodedata
from copy import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pfdesk.core.atomic import atomic_write
from pfdesk.core.i18n import _

if TYPE_CHECKING:
    from openpyxl import Workbook


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


_FONT = "游ゴシック"


@cache
def _styles() -> dict[str, Any]:
    """The workbook's style objects, made once and shared by every cell that uses them."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "head_fill": PatternFill("solid", fgColor="DDEBF7"),
        "total_fill": PatternFill("solid", fgColor="F2F2F2"),
        "head_font": Font(name=_FONT, bold=True),
        "body_font": Font(name=_FONT, bold=False),
        "total_font": Font(name=_FONT, bold=True),
        "sheet_title": Font(name=_FONT, size=14, bold=True),
        "sheet_sub": Font(name=_FONT, size=11),
        "table_title": Font(name=_FONT, size=11, bold=True),
        "notice": Font(name=_FONT, size=9, color="C00000"),
        "small": Font(name=_FONT, size=9),
        "head_align": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "number_align": Alignment(horizontal="right", vertical="top"),
        "short_align": Alignment(horizontal="center", vertical="top"),
        "text_align": Alignment(vertical="top", wrap_text=True),
    }


def _width(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(str(value))  # digits are half-width
    return _text_width(str(value if value is not None else ""))


class _CharWidths(dict[int, str]):
    """For ``str.translate``: a character as one or two ``x``, by its printed width.

    Filled as characters are met, so measuring a text is one translate in C rather than
    a Python call per character (thousands of names on the 構成機関 sheet).
    """

    def __missing__(self, code: int) -> str:
        width = "xx" if unicodedata.east_asian_width(chr(code)) in "WFA" else "x"
        self[code] = width
        return width


_CHAR_WIDTHS = _CharWidths()


def _text_width(text: str) -> int:
    """Half-width characters of the longest line (a full-width character counts two)."""
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    if longest.isascii():
        return len(longest)
    return len(longest.translate(_CHAR_WIDTHS))


def _table_width(widths: dict[int, int], last: int) -> int:
    """Roughly how many half-width characters fit across the first ``last`` columns."""
    return sum(max(6, widths.get(c, 0) + 2) for c in range(1, last + 1))


def _apply_style(cell, key) -> None:
    """Set the shared style objects of ``key``: "head", or (kind, total) of a body cell."""
    st = _styles()
    cell.border = st["border"]
    if key == "head":
        cell.font = st["head_font"]
        cell.fill = st["head_fill"]
        cell.alignment = st["head_align"]
        return
    kind, total = key
    cell.font = st["total_font" if total else "body_font"]
    if total:
        cell.fill = st["total_fill"]
    if kind == "number":
        cell.number_format = "#,##0"
    cell.alignment = st[f"{kind}_align"]


def _styled(cell, key, cache: dict) -> None:
    """Style ``cell`` like the first cell styled under ``key`` in this workbook.

    Setting font, fill, border and alignment makes openpyxl hash and look each style up
    in the workbook's lists (most of the time of a 6,000-cell return); the first cell of
    a kind is styled that way, the others take a copy of its style indices.
    """
    done = cache.get(key)
    if done is None:
        _apply_style(cell, key)
        cache[key] = copy(cell._style)
    else:
        cell._style = copy(done)


def _shared_style(style: Any) -> Any:
    """``style`` (a cell's ``StyleArray``) as one object for every cell of its kind.

    openpyxl's writer looks each cell's style up by its hash, a tuple of nine numbers made
    twice per cell; this one is hashed once. It cannot be changed (a change would restyle
    every cell sharing it), so it is only used for a workbook written at once.
    """
    return _shared_style_type()(style)


@cache
def _shared_style_type() -> type:
    """The class of :func:`_shared_style` (made once: openpyxl is imported when needed)."""
    from openpyxl.styles.cell_style import StyleArray

    class _Shared(StyleArray):
        __slots__ = ("_hash",)

        def __new__(cls, args):
            self = super().__new__(cls, args)
            self._hash = hash(tuple(self))
            return self

        def __hash__(self) -> int:
            return self._hash

        def __setitem__(self, index, value):
            raise TypeError("a shared cell style cannot be changed")

    return _Shared


def _write_sheet(ws, book: ReturnBook, spec: SheetSpec, out: list[Placement],
                 styles: dict, shared: dict | None = None) -> None:
    from openpyxl.cell.cell import Cell
    from openpyxl.utils import get_column_letter

    st = _styles()
    cells = ws._cells
    ws["A1"] = spec.title
    ws["A1"].font = st["sheet_title"]
    ws["A2"] = f"{book.municipality}　{book.period_label}"
    ws["A2"].font = st["sheet_sub"]
    row = 3
    for note in book.notes:
        ws.cell(row=row, column=1, value=note).font = st["notice"]
        row += 1
    widths: dict[int, int] = {}
    max_col = 1
    for table in spec.tables:
        row += 1
        ws.cell(row=row, column=1, value=table.title).font = st["table_title"]
        row += 1
        for c, text in enumerate(table.header, start=1):
            cell = ws.cell(row=row, column=c, value=text)
            _styled(cell, "head", styles)
            widths[c] = max(widths.get(c, 0), min(_width(text), 16))
        max_col = max(max_col, len(table.header))
        first_total = len(table.rows) - table.total_rows
        for i, values in enumerate(table.rows):
            row += 1
            total = i >= first_total
            for c, v in enumerate(values, start=1):
                name = ""
                if isinstance(v, Fig):
                    name, v = v.name, v.value
                if isinstance(v, list):
                    v = "\n".join(str(x) for x in v)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    kind = "number"
                elif c > 1 and isinstance(v, str) and len(v) <= 2:
                    kind = "short"
                else:
                    kind = "text"
                key = (kind, total)
                style = styles.get(key)
                if style is None:
                    cell = ws.cell(row=row, column=c, value=v)
                    _styled(cell, key, styles)
                elif shared is not None:
                    cell = Cell(ws, row=row, column=c, value=v)
                    cell._style = shared.get(key) or shared.setdefault(key, _shared_style(style))
                    cells[row, c] = cell
                else:
                    # Made with its style and put in the sheet directly: ``ws.cell`` would
                    # look the position up and make a default style to be replaced (a
                    # third of the time of a large town's 18,000 cells).
                    cell = Cell(ws, row=row, column=c, value=v, style_array=style)
                    cells[row, c] = cell
                width = widths.get(c, 0)
                # a text is at most twice its length wide: most cells cannot widen the column
                if width < 60 and (kind == "number" or 2 * len(str(v)) > width):
                    widths[c] = max(width, min(_width(v), 60))
                if name:
                    out.append(Placement(ws.title, cell.coordinate, name, v))
        ws._current_row = max(ws._current_row, row)  # as ``ws.cell`` keeps it
        if table.note:
            row += 1
            note = ws.cell(row=row, column=1, value=table.note)
            note.font = st["small"]
            note.alignment = st["text_align"]
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


def build_return_workbook(book: ReturnBook, *, _frozen: bool = False
                          ) -> tuple[Workbook, list[Placement]]:
    """The workbook in memory, and where each named figure went.

    (``_frozen``: the body cells of a kind share one style that cannot be changed, for a
    workbook saved at once.)
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    placements: list[Placement] = []
    styles: dict = {}  # style key -> the style indices of its first cell in this workbook
    shared: dict | None = {} if _frozen else None
    for spec in book.sheets:
        ws = wb.create_sheet(spec.name[:31])
        _write_sheet(ws, book, spec, placements, styles, shared)
    wb.properties.title = book.title
    wb.properties.creator = book.municipality or "pfdesk"
    return wb, placements


def save_return_workbook(book: ReturnBook, path: str | Path) -> list[Placement]:
    """Write the workbook to ``path`` all at once; returns the figure placements."""
    if not book.sheets:
        raise ValueError(_("シートがありません。"))
    wb, placements = build_return_workbook(book, _frozen=True)
    with atomic_write(path, "wb") as fh:
        wb.save(fh)  # the zip goes straight to the temp file, not through a copy in memory
    return placements
