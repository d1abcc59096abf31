"""The prefecture's form as a grid to click on, and the mapping written from the clicks.

The 報告 screen shows each sheet of the form with its printed labels; the user clicks a
cell and picks a figure. :func:`mapping_text` turns those choices into the same TOML a
person would write by hand (documented in docs/figures.md), with a comment on each line
saying which label of the form the cell belongs to and what the figure means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pfdesk.core.atomic import atomic_write
from pfdesk.core.i18n import _
from pfdesk.services.returns.figures import figure_def
from pfdesk.services.returns.fill import open_form
from pfdesk.services.returns.fit import list_choices
from pfdesk.services.returns.mapping import Mapping, parse_cell

#: The most of a sheet shown (forms are small; a huge sheet is cut, not refused).
MAX_ROWS, MAX_COLS = 300, 60


@dataclass(frozen=True)
class GridSheet:
    """One sheet: its cells' text by (row, column), merged ranges and pull-downs."""

    title: str
    rows: int
    cols: int
    text: dict[tuple[int, int], str]
    merged: list[tuple[int, int, int, int]]  # first row, first col, last row, last col
    formulas: set[tuple[int, int]] = field(default_factory=set)
    choices: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    dates: set[tuple[int, int]] = field(default_factory=set)

    def label_near(self, row: int, col: int) -> str:
        """The printed label a cell answers: the nearest text to its left, else above."""
        for c in range(col - 1, 0, -1):
            if (t := self.text.get((row, c))) and (row, c) not in self.formulas:
                above = self.text.get((row - 1, col), "") if row > 1 else ""
                return t if not above or (row - 1, col) in self.formulas else f"{t}／{above}"
        for r in range(row - 1, 0, -1):
            if (t := self.text.get((r, col))) and (r, col) not in self.formulas:
                return t
        return ""


@dataclass(frozen=True)
class FormGrid:
    """The whole form."""

    name: str
    sheets: list[GridSheet]

    def sheet(self, title: str) -> GridSheet | None:
        """The sheet called ``title``."""
        return next((s for s in self.sheets if s.title == title), None)


def read_form_grid(path: str | Path) -> FormGrid:
    """Read the form for the mapper (FileProblem when it is not a usable .xlsx)."""
    from openpyxl.cell.cell import MergedCell

    wb = open_form(path)
    sheets = []
    for ws in wb.worksheets:
        rows, cols = min(ws.max_row, MAX_ROWS), min(ws.max_column, MAX_COLS)
        text: dict[tuple[int, int], str] = {}
        formulas: set[tuple[int, int]] = set()
        choices: dict[tuple[int, int], list[str]] = {}
        dates: set[tuple[int, int]] = set()
        for line in ws.iter_rows(min_row=1, max_row=rows, max_col=cols):
            for c in line:
                if isinstance(c, MergedCell):
                    continue
                pos = (c.row, c.column)
                if c.value is not None and c.value != "":
                    text[pos] = str(c.value)
                    if isinstance(c.value, str) and c.value.startswith("="):
                        formulas.add(pos)
                if c.is_date:
                    dates.add(pos)
                found = list_choices(wb, ws, c.coordinate)
                if found:
                    choices[pos] = found
        merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges
                  if r.min_row <= rows and r.min_col <= cols]
        sheets.append(GridSheet(ws.title, rows, cols, text, merged, formulas, choices, dates))
    return FormGrid(Path(path).name, sheets)


@dataclass
class CellChoice:
    """What the user picked for one cell: a figure (or group) and its options."""

    figures: list[str]
    year: str = ""
    overwrite: bool = False
    label: str = ""  # the group or pattern name, if the mapping used one


def choices_from_mapping(mapping: Mapping) -> dict[tuple[str, str], CellChoice]:
    """The choices of an existing mapping, to edit them on the grid."""
    return {(e.sheet, e.cell): CellChoice(list(e.figures), e.year, e.overwrite, e.label)
            for e in mapping.entries}


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _cell_key(cell: str) -> tuple[int, str]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits or 0), letters.rjust(3)


def mapping_text(title: str, grid: FormGrid | None,
                 choices: dict[tuple[str, str], CellChoice],
                 groups: dict[str, tuple[str, ...]] | None = None,
                 suppress_small: bool = False) -> str:
    """The TOML mapping for ``choices``, commented with each cell's label and meaning."""
    lines = [
        _("# 記入設定（pfdesk の「報告」画面の記入設定エディタで作成。メモ帳でも直せます）"),
        _("# 書き方は docs/figures.md にあります。「#」から行末まではメモです。"),
        "",
        "[form]",
        f"title = {_toml_string(title)}",
        f"suppress_small = {'true' if suppress_small else 'false'}",
    ]
    used_groups = {c.label for c in choices.values() if c.label in (groups or {})}
    if used_groups:
        lines += ["", "[groups]"]
        for name in sorted(used_groups):
            members = ", ".join(_toml_string(n) for n in (groups or {})[name])
            lines.append(f"{_toml_string(name)} = [{members}]")
    by_sheet: dict[str, list[tuple[str, CellChoice]]] = {}
    for (sheet, cell), choice in choices.items():
        if choice.figures:
            by_sheet.setdefault(sheet, []).append((cell, choice))
    order = [s.title for s in grid.sheets] if grid else []
    for sheet in sorted(by_sheet, key=lambda s: (order.index(s) if s in order else 999, s)):
        lines += ["", f"[sheets.{_toml_string(sheet)}]"]
        grid_sheet = grid.sheet(sheet) if grid else None
        for cell, choice in sorted(by_sheet[sheet], key=lambda x: _cell_key(x[0])):
            if choice.label:
                value = _toml_string(choice.label)
            elif len(choice.figures) == 1:
                value = _toml_string(choice.figures[0])
            else:
                value = "[" + ", ".join(_toml_string(n) for n in choice.figures) + "]"
            if choice.year or choice.overwrite:
                key = "figures" if value.startswith("[") else "figure"
                parts = [f"{key} = {value}"]
                if choice.year:
                    parts.append(f"year = {_toml_string(choice.year)}")
                if choice.overwrite:
                    parts.append("overwrite = true")
                value = "{ " + ", ".join(parts) + " }"
            note = []
            if grid_sheet is not None:
                pos = parse_cell(cell)
                if pos and (label := grid_sheet.label_near(*pos)):
                    note.append(label.replace("\n", " ")[:30])
            meaning = [d.description for n in choice.figures[:1] if (d := figure_def(n))]
            if meaning and not choice.label and len(choice.figures) == 1:
                note.append(meaning[0])
            comment = ("   # " + " ← ".join(note)) if note else ""
            lines.append(f"{cell} = {value}{comment}")
    return "\n".join(lines) + "\n"


def save_mapping_text(path: str | Path, text: str) -> None:
    """Write the mapping as UTF-8 (Notepad opens it), replacing the file all at once."""
    with atomic_write(path, "w", encoding="utf-8", newline="\r\n") as fh:
        fh.write(text)


def cell_name(row: int, col: int) -> str:
    """A1-style name of a cell."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"
