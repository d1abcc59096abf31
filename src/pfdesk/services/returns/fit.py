"""Making each value fit the cell of the prefecture's form it goes into.

A form says what a cell takes: a pull-down (data validation list) takes only its own
words, a cell with a date format takes a real date, a year cell may ask for 2023 or
令和5年度, and a cell holding text is a printed label that must stay. A yes/no answer is
written in the words of the pull-down (有 → はい, ○, あり …); anything that cannot fit is
refused before a single cell is written.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.wareki import ERAS, format_era_year, format_fiscal_year, parse_date

#: Words for yes and for no as forms write them; a pull-down gets its own spelling.
YES_WORDS = ("有", "有り", "あり", "はい", "○", "〇", "◯", "実施", "実施した", "ある", "する",
             "済", "Yes", "YES", "yes", "✓", "レ")
NO_WORDS = ("無", "無し", "なし", "いいえ", "×", "✕", "✖", "未実施", "実施していない", "ない",
            "しない", "No", "NO", "no", "-", "－")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


_YES = {_fold(w) for w in YES_WORDS}
_NO = {_fold(w) for w in NO_WORDS}


def yes_no(value: Any) -> bool | None:
    """True for a yes word, False for a no word, None for anything else."""
    text = _fold(value) if isinstance(value, str) else None
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


# ---------------------------------------------------------------------------------------------
# What a cell accepts


def list_choices(wb, ws, coordinate: str) -> list[str] | None:
    """The words a pull-down on this cell allows, or None when it has no list validation."""
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list" or coordinate not in dv.sqref:
            continue
        formula = (dv.formula1 or "").strip()
        if formula.startswith('"') and formula.endswith('"'):
            return [w.strip() for w in formula[1:-1].split(",") if w.strip()]
        return _range_values(wb, ws, formula.lstrip("="))
    return None


def _range_values(wb, ws, ref: str) -> list[str] | None:
    """The values of a range a validation refers to (Sheet!$A$1:$A$3 or a defined name)."""
    sheet = ws
    if ref in wb.defined_names:
        destinations = list(wb.defined_names[ref].destinations)
        if not destinations:
            return None
        title, ref = destinations[0]
        if title not in wb.sheetnames:
            return None
        sheet = wb[title]
    elif "!" in ref:
        title, ref = ref.rsplit("!", 1)
        title = title.strip("'").replace("''", "'")
        if title not in wb.sheetnames:
            return None
        sheet = wb[title]
    from openpyxl.utils.cell import range_boundaries

    try:
        c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
    except (ValueError, TypeError):
        return None
    if None in (c1, r1, c2, r2):
        return None
    out = []
    for row in sheet.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
        out += [str(c.value).strip() for c in row if c.value not in (None, "")]
    return out


def printed_text(cell) -> str:
    """The text of a cell that holds a printed label ("" for empty, number or formula)."""
    value = cell.value
    if isinstance(value, str) and value.strip() and not value.startswith("="):
        return value.strip()
    return ""


def nearby_label(ws, row: int, col: int) -> str:
    """The printed label a cell answers: the nearest text to its left, else above it."""
    for c in range(col - 1, max(0, col - 12), -1):
        if text := printed_text(ws.cell(row=row, column=c)):
            return text
    for r in range(row - 1, max(0, row - 30), -1):
        if text := printed_text(ws.cell(row=r, column=col)):
            return text
    return ""


# ---------------------------------------------------------------------------------------------
# Conversions

_ERA_YEAR = re.compile(r"^(令和|平成|昭和|R|H|S)\s*(元|\d{1,2})\s*年?(度)?$", re.IGNORECASE)
_WEST_YEAR = re.compile(r"^(\d{4})\s*年?(度)?$")
_YEAR_MONTH = re.compile(
    r"^(?:(令和|平成|昭和)(元|\d{1,2})|(\d{4}))\s*[年/.\-]\s*(\d{1,2})\s*月?$")
_ERA_KEY = {"令和": 0, "R": 0, "平成": 1, "H": 1, "昭和": 2, "S": 2}


def western_year(value: Any) -> tuple[int, bool] | None:
    """(year, is 年度) for 令和5年度, R5, 2023, 2023年度 …; None when it is not a year."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, False) if 1868 <= value <= 2200 else None
    text = _fold(value)
    if m := _WEST_YEAR.match(text):
        return int(m.group(1)), bool(m.group(2))
    if m := _ERA_YEAR.match(text):
        era = ERAS[_ERA_KEY[m.group(1).upper() if len(m.group(1)) == 1 else m.group(1)]]
        n = 1 if m.group(2) == "元" else int(m.group(2))
        return era.start.year + n - 1, bool(m.group(3))
    return None


def as_year(value: Any, style: str) -> Any:
    """A year in the form a cell asks for: 西暦 → 2023 (a number), 和暦 → 令和5年度."""
    found = western_year(value)
    if found is None:
        raise ValueError(value)
    year, fiscal = found
    if style == "西暦":
        return year
    if fiscal:
        return format_fiscal_year(year)
    return format_era_year(date(year, 12, 31))


def as_date(value: Any) -> date:
    """A real date for a date-formatted cell: 令和8年4月1日, 2026/4/1, 令和3年4月 (→ the 1st)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _fold(value)
    if m := _YEAR_MONTH.match(text):
        if m.group(3):
            year = int(m.group(3))
        else:
            era = ERAS[_ERA_KEY[m.group(1)]]
            year = era.start.year + (1 if m.group(2) == "元" else int(m.group(2))) - 1
        return date(year, int(m.group(4)), 1)
    try:
        return parse_date(text)
    except ValidationError as e:
        raise ValueError(value) from e


# ---------------------------------------------------------------------------------------------
# One cell


def fit_value(wb, ws, cell, value: Any, *, year: str = "") -> tuple[Any, str]:
    """The value as it should be written into ``cell``, and "" or why it cannot be.

    Empty stays empty and 秘匿's ＊ is left to the form; everything else follows the cell:
    its pull-down, a year style the mapping asks for, its date format.
    """
    if value == "" or value is None:
        return None, ""
    where = _("シート「{sheet}」のセル {cell}").format(sheet=ws.title, cell=cell.coordinate)
    if year:
        try:
            value = as_year(value, year)
        except ValueError:
            return value, _("{where} は{style}の年を求めていますが、「{v}」は年として読めません。"
                            ).format(where=where, style=year, v=value)
    choices = list_choices(wb, ws, cell.coordinate)
    if choices:
        if str(value) in choices:
            return value, ""
        answer = yes_no(value)
        if answer is not None:
            for choice in choices:
                if yes_no(choice) is answer:
                    return choice, ""
        return value, _("{where} のプルダウンで選べるのは {choices} です。「{v}」は選べません。"
                        ).format(where=where, v=value,
                                 choices="".join(f"「{c}」" for c in choices))
    if cell.is_date and not isinstance(value, int | float):
        try:
            return as_date(value), ""
        except ValueError:
            return value, _("{where} は日付の書式ですが、「{v}」は日付として読めません。").format(
                where=where, v=value)
    if isinstance(value, str) and not year and cell.number_format not in ("@",):
        digits = _fold(value)
        if digits.isdigit() and len(digits) < 10 and not digits.startswith("0"):
            return int(digits), ""  # a count kept as text is still a number on the form
    return value, ""
