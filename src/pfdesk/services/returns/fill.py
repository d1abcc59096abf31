"""Filling the prefecture's own form: a copy with values in the mapped cells, nothing else.

The form is opened with openpyxl as it is (formulas stay formulas, not cached values) and
only cell values are set, so styles, merged cells, data validations, print settings and
formulas come through unchanged. Each value takes the form of its cell (see :mod:`.fit`):
the pull-down's own words, a real date, 2023 or 令和5年度. The copy is saved to memory
first and then written all at once; the form itself is never touched.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from copy import copy
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from pfdesk.core.atomic import read_error, write_bytes_atomic
from pfdesk.core.errors import FileProblem, ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.returns.figures import SUPPRESSED, Value, figure_def
from pfdesk.services.returns.fit import fit_value, nearby_label
from pfdesk.services.returns.mapping import (
    Mapping,
    MappingError,
    MappingProblem,
    check_against_form,
    parse_cell,
)


@dataclass(frozen=True)
class PreviewRow:
    """One target cell and what will be written there."""

    sheet: str
    cell: str
    figure: str
    description: str
    value: Value | date  # a date once fitted to a date-formatted cell
    line: int
    #: A warning about this cell (a form formula that totals a ＊), else "".
    note: str = ""
    #: The form's printed label next to (or above) the cell, to check the value against.
    label: str = ""


def check_out_path(out: str | Path) -> None:
    """Refuse a return saved under another name than .xlsx (x.xls would not open)."""
    name = Path(out).name
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            _("保存先「{name}」の名前が .xlsx で終わっていません。").format(name=name),
            field="out",
            hint=_("報告は Excel ブック（.xlsx）として保存します。"
                   "ファイル名の最後を .xlsx にしてください。"),
        )


def open_form(path: str | Path):
    """The form workbook, or a FileProblem that says why it cannot be used."""
    src = Path(path)
    if src.suffix.lower() != ".xlsx":
        raise FileProblem(
            _("様式「{name}」は .xlsx 形式ではありません。").format(name=src.name),
            hint=_("Excel で開き「名前を付けて保存」から「Excel ブック (*.xlsx)」で保存し直して"
                   "ください。"),
            where=str(src),
        )
    try:
        data = src.read_bytes()
    except OSError as e:
        raise read_error(e, src) from e
    # openpyxl is imported when a form is read, not with the 報告 page
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=False, keep_links=True)
        _restore_merged_styles(wb, data)
        return wb
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise FileProblem(
            _("様式「{name}」を Excel ファイルとして読み込めません（{detail}）。").format(
                name=src.name, detail=type(e).__name__),
            hint=_("ファイルが壊れていないか、パスワードが掛かっていないか確かめてください。"),
            where=str(src),
        ) from e


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → the part holding it (xl/worksheets/sheet1.xml)."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        out[sheet.get("name", "")] = part
    return out


def _restore_merged_styles(wb, data: bytes) -> None:
    """Give the hidden cells of merged ranges back the style they had in the form.

    openpyxl drops those cells on reading and draws the top-left cell's border round the
    whole range instead, so a form whose merged cells had no border of their own would
    gain borders. Their own style index is read from the file and put back.
    """
    from openpyxl.styles.cell_style import StyleArray

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = _sheet_parts(zf)
        for ws in wb.worksheets:
            ranges = list(ws.merged_cells.ranges)
            if not ranges or parts.get(ws.title) not in zf.namelist():
                continue
            styles: dict[str, int] = {}
            root = ElementTree.fromstring(zf.read(parts[ws.title]))
            for c in root.iterfind("m:sheetData/m:row/m:c", _NS):
                if c.get("s") is not None:
                    styles[c.get("r", "")] = int(c.get("s", "0"))
            for rng in ranges:
                for row, col in list(rng.cells)[1:]:
                    cell = ws._cells.get((row, col))
                    if cell is None:
                        continue
                    index = styles.get(cell.coordinate)
                    if index is not None and index < len(wb._cell_styles):
                        cell._style = copy(wb._cell_styles[index])
                    else:
                        cell._style = StyleArray()


def cell_value(figures: tuple[str, ...], values: dict[str, Value], suppress_max: int) -> Value:
    """The value of one target cell: a figure, or the sum of several, then 秘匿.

    A sum is hidden as a whole, from its total, so that ＊ never hides a part that
    another cell's total would give away.
    """
    if len(figures) == 1:
        value = values.get(figures[0], "")
    elif any(values.get(n) == SUPPRESSED for n in figures):
        return SUPPRESSED  # a sum with a hidden part would show that part
    else:
        value = sum(int(values.get(n, 0) or 0) for n in figures)
    defs = [figure_def(n) for n in figures]
    if (suppress_max and isinstance(value, int) and 1 <= value <= suppress_max
            and all(d is not None and d.suppressible for d in defs)):
        return SUPPRESSED
    return value


def preview(mapping: Mapping, values: dict[str, Value], suppress_max: int = 0) -> list[PreviewRow]:
    """What goes where, in mapping order; ``values`` are the figures before 秘匿."""
    rows = []
    for e in mapping.entries:
        descs = [d.description for n in e.figures if (d := figure_def(n))]
        rows.append(PreviewRow(e.sheet, e.cell, e.figure, " ＋ ".join(descs),
                               cell_value(e.figures, values, suppress_max), e.line))
    return rows


def _ranges(formula: str, own_sheet: str):
    """The (sheet, min_col, min_row, max_col, max_row) ranges a formula refers to."""
    from openpyxl.formula import Tokenizer
    from openpyxl.utils.cell import range_boundaries

    try:
        tokens = Tokenizer(formula).items
    except Exception:  # noqa: BLE001 - a formula openpyxl cannot read is left alone
        return
    for t in tokens:
        if t.type != "OPERAND" or t.subtype != "RANGE":
            continue
        ref = t.value
        sheet = own_sheet
        if "!" in ref:
            sheet, ref = ref.rsplit("!", 1)
            sheet = sheet.strip("'").replace("''", "'")
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            continue  # a defined name or a whole row/column: not checked
        if None in (min_col, min_row, max_col, max_row):
            continue
        yield sheet, min_col, min_row, max_col, max_row


def note_formulas_over_hidden(wb, rows: list[PreviewRow]) -> list[PreviewRow]:
    """Mark ＊ cells that a formula of the form adds up: Excel would total them as 0.

    A prefecture's form often sums the months or the age bands itself; with 秘匿 such a
    total silently comes out too small, so the preview says which formula to look at.
    """
    hidden = {(r.sheet, *pos): i for i, r in enumerate(rows)
              if r.value == SUPPRESSED and (pos := parse_cell(r.cell))}
    if not hidden:
        return rows
    found: dict[int, list[str]] = {}
    for ws in wb.worksheets:
        for line in ws.iter_rows():
            for c in line:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                for sheet, c1, r1, c2, r2 in _ranges(c.value, ws.title):
                    for (hs, hr, hc), i in hidden.items():
                        if hs == sheet and r1 <= hr <= r2 and c1 <= hc <= c2:
                            where = c.coordinate if ws.title == sheet else \
                                f"{ws.title}!{c.coordinate}"
                            found.setdefault(i, []).append(where)
    out = list(rows)
    for i, cells in found.items():
        out[i] = replace(out[i], note=_(
            "様式の数式（{cells}）がこの欄を合計します。「＊」は 0 として数えられるため、"
            "その合計は実際より小さくなります。提出前に都道府県の指示を確かめてください。"
        ).format(cells="、".join(cells)))
    return out


def check_form(form_path: str | Path, mapping: Mapping):
    """Open the form and check the mapping against it; returns the form's workbook."""
    wb = open_form(form_path)
    check_against_form(mapping, wb, Path(form_path).name)
    return wb


def fit_rows(wb, mapping: Mapping, rows: list[PreviewRow]) -> list[PreviewRow]:
    """Each row's value as its cell takes it; raises MappingError naming every misfit."""
    years = {(e.sheet, e.cell): e.year for e in mapping.entries}
    out: list[PreviewRow] = []
    problems: list[MappingProblem] = []
    for r in rows:
        position = parse_cell(r.cell)
        if position is None or r.sheet not in wb.sheetnames:
            out.append(r)
            continue
        ws = wb[r.sheet]
        cell = ws.cell(row=position[0], column=position[1])
        value, problem = fit_value(wb, ws, cell, r.value, year=years.get((r.sheet, r.cell), ""))
        if problem:
            problems.append(MappingProblem(r.line, problem))
        out.append(replace(r, value="" if value is None else value,
                           label=nearby_label(ws, *position)))
    if problems:
        raise MappingError(mapping.source, problems)
    return out


def fill_form(
    form_path: str | Path, mapping: Mapping, values: dict[str, Value], out_path: str | Path,
    suppress_max: int = 0,
) -> list[PreviewRow]:
    """Write a filled copy of the form to ``out_path``; nothing is written on any problem.

    ``values`` are the figures before 秘匿; ``suppress_max`` > 0 hides counts up to it.
    """
    form, out = Path(form_path), Path(out_path)
    if out.exists() and form.exists() and out.resolve() == form.resolve():
        raise ValidationError(
            _("保存先が様式ファイルと同じです。様式はそのまま残し、別の名前で保存してください。"),
            field="out",
        )
    check_out_path(out)
    wb = open_form(form)
    check_against_form(mapping, wb, form.name)
    rows = fit_rows(wb, mapping, note_formulas_over_hidden(
        wb, preview(mapping, values, suppress_max)))
    for r in rows:
        position = parse_cell(r.cell)
        if position is None:  # check_against_form has refused such a mapping already
            raise MappingError(mapping.source, [MappingProblem(r.line, _(
                "「{cell}」はセルの番地として読めないか、シートの範囲外です"
                "（例: C6、AB120）。").format(cell=r.cell))])
        row, col = position
        wb[r.sheet].cell(row=row, column=col).value = None if r.value == "" else r.value
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(out, buf.getvalue())
    return rows
