"""Filling the prefecture's own form: a copy with values in the mapped cells, nothing else.

The form is opened with openpyxl as it is (formulas stay formulas, not cached values) and
only cell values are set, so styles, merged cells, data validations, print settings and
formulas come through unchanged. The copy is saved to memory first and then written all
at once; the form itself is never touched.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from pfdesk.core.atomic import read_error, write_bytes_atomic
from pfdesk.core.errors import FileProblem, ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.returns.figures import SUPPRESSED, Value, figure_def
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
    value: Value
    line: int


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
    try:
        return load_workbook(io.BytesIO(data), data_only=False, keep_links=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise FileProblem(
            _("様式「{name}」を Excel ファイルとして読み込めません（{detail}）。").format(
                name=src.name, detail=type(e).__name__),
            hint=_("ファイルが壊れていないか、パスワードが掛かっていないか確かめてください。"),
            where=str(src),
        ) from e


def cell_value(figures: tuple[str, ...], values: dict[str, Value], suppress_max: int) -> Value:
    """The value of one target cell: a figure, or the sum of several, then 秘匿.

    A sum is hidden as a whole, from its total, so that ＊ never hides a part that
    another cell's total would give away.
    """
    if len(figures) == 1:
        value = values.get(figures[0], "")
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


def check_form(form_path: str | Path, mapping: Mapping) -> list[str]:
    """Open the form and check the mapping against it; returns the form's sheet names."""
    wb = open_form(form_path)
    check_against_form(mapping, wb, Path(form_path).name)
    return list(wb.sheetnames)


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
    wb = open_form(form)
    check_against_form(mapping, wb, form.name)
    rows = preview(mapping, values, suppress_max)
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
