"""Writing CSV for Excel (UTF-8 with BOM or cp932, with a report) and formatted .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pfdesk.core.atomic import atomic_write
from pfdesk.core.i18n import _
from pfdesk.core.tabular.reading import FORMULA_START, cell_text

# ---------------------------------------------------------------------------------------------
# Writing

GETA = "〓"  # the customary mark for a character that cannot be printed

# Characters outside cp932 with a well-known everyday form inside it.
_CP932_SUBSTITUTES = {
    "𠮷": "吉", "𡈽": "土", "𣘺": "橋", "剝": "剥", "𠮟": "叱", "塡": "填", "頰": "頬",
    "俱": "倶", "鷗": "鴎", "蔣": "蒋", "醬": "醤",
    "\u00a0": " ", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "―",
    "\u00b7": "・", "\u2022": "・", "\u00a9": "(C)", "\u00ae": "(R)",
    "\u3099": "゛", "\u309a": "゜",
}
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_DECOMPOSED_KANA = re.compile("[^\u3099\u309a][\u3099\u309a]")


@dataclass
class EncodingProblem:
    """One character that had to be replaced: ``replacement`` "" means it was dropped."""

    row: int
    column: str
    char: str
    replacement: str


@dataclass
class EncodingReport:
    """What happened to characters the chosen encoding cannot hold."""

    encoding: str
    problems: list[EncodingProblem] = field(default_factory=list)

    def summary(self) -> str:
        """Say in Japanese which characters were replaced, by row and column."""
        if not self.problems:
            return _("すべての文字をそのまま書き出しました。")
        lines = [_("Shift_JIS（cp932）で表せない文字が{count}か所あったため、"
                   "次のとおり置き換えました。").format(count=len(self.problems))]
        for p in self.problems:
            lines.append(_("{row}行目「{column}」: 「{char}」→「{replacement}」").format(
                row=p.row,
                column=p.column,
                char=_visible(p.char),
                replacement=p.replacement or _("（削除）"),
            ))
        return "\n".join(lines)


def _visible(char: str) -> str:
    if unicodedata.category(char) in {"Mn", "Me", "Cf", "Cc", "Zs"} or _INVISIBLE.match(char):
        return f"U+{ord(char):04X}"
    return char


def _encodable(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def _cp932_substitute(char: str) -> str:
    if char in _CP932_SUBSTITUTES:
        return _CP932_SUBSTITUTES[char]
    if _INVISIBLE.match(char):
        return ""
    compat = unicodedata.normalize("NFKC", char)  # 𝐀→A, ㉑→21, compatibility kanji
    if compat and _encodable(compat):
        return compat
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )  # é→e for foreign names
    if bare and _encodable(bare):
        return bare
    return GETA


def _to_cp932(text: str, row: int, column: str, report: EncodingReport) -> str:
    if _encodable(text):
        return text
    # Kana with a separate voicing mark (from macOS file names) composes losslessly.
    text = _DECOMPOSED_KANA.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)
    out = []
    for char in text:
        if _encodable(char):
            out.append(char)
            continue
        replacement = _cp932_substitute(char)
        report.problems.append(EncodingProblem(row, column, char, replacement))
        out.append(replacement)
    return "".join(out)


def neutralize_formula(text: str) -> str:
    """``text`` made inert for a spreadsheet: a leading ``'`` where it would start a formula.

    The apostrophe is the spreadsheet's own "this is text" mark (OWASP's advice for CSV
    injection); the value reads the same, only not as a formula.
    """
    # =HYPERLINK(...) sends data away; +, - and @ start formulas too; tab and CR hide one.
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return cell_text(value)
    if isinstance(value, bool | int | float | Decimal):
        return str(value)  # a negative number is a number, not a formula
    return neutralize_formula(str(value))


def write_csv(
    path: str | Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: Literal["utf-8-sig", "cp932"],
) -> EncodingReport:
    """Write a CSV file Excel opens directly (CRLF line ends), replacing ``path`` at once.

    With ``cp932`` every character it cannot hold is replaced (a standard form such as
    𠮷→吉 where one exists, else 〓) and listed in the returned report. Text cells that
    a spreadsheet would run as a formula get a leading ``'`` (see :func:`neutralize_formula`).
    """
    if encoding not in ("utf-8-sig", "cp932"):
        raise ValueError(f"unsupported CSV encoding: {encoding!r}")
    report = EncodingReport(encoding=encoding)
    column_names = [str(h) for h in headers]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, values in enumerate([column_names, *rows]):
        cells = [_csv_text(v) for v in values]
        if encoding == "cp932":
            number = index + 1
            cells = [
                _to_cp932(c, number, column_names[i] if i < len(column_names) else "", report)
                for i, c in enumerate(cells)
            ]
        writer.writerow(cells)
    with atomic_write(path, "wb") as fh:
        fh.write(buffer.getvalue().encode(encoding))
    return report


@dataclass
class SheetData:
    """One worksheet to write: ``column_widths`` in Excel character units (None = fit)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    column_widths: list[int] | None = None


_XLSX_NATIVE = (int, float, Decimal, bool, dt.date, dt.time, dt.timedelta, type(None))
_BAD_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_titles(sheets: Sequence[SheetData]) -> list[str]:
    titles: list[str] = []
    for number, sheet in enumerate(sheets, 1):
        base = _BAD_TITLE_CHARS.sub("_", sheet.title).strip("'")[:31] or f"Sheet{number}"
        title, n = base, 2
        while title.casefold() in {t.casefold() for t in titles}:
            suffix = f"({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        titles.append(title)
    return titles


def _display_width(value: Any) -> int:
    text = cell_text(value) if not isinstance(value, str) else value
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def write_xlsx(path: str | Path, sheets: list[SheetData]) -> None:
    """Write a workbook: bold shaded header, frozen header row, filter buttons.

    Numbers stay numbers and dates are real Excel dates; text starting with "=" stays text.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_align = Alignment(vertical="center", wrap_text=True)
    for sheet, title in zip(sheets, _sheet_titles(sheets), strict=True):
        ws = book.create_sheet(title)
        ncols = max([len(sheet.headers), *(len(r) for r in sheet.rows)], default=0)
        widths = sheet.column_widths
        if widths is None:
            widths = []
            for i in range(ncols):
                column = [sheet.headers[i] if i < len(sheet.headers) else ""]
                column += [r[i] for r in sheet.rows if i < len(r)]
                widths.append(min(60, max(6, max(map(_display_width, column)) + 2)))
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        if ncols:
            ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{len(sheet.rows) + 1}"

        def cell(value: Any, *, header: bool = False, ws: Any = ws) -> WriteOnlyCell:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            elif not isinstance(value, _XLSX_NATIVE):
                value = str(value)
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and value.startswith("="):
                c.data_type = "s"  # typed text such as 「=要確認」, never a formula
            elif isinstance(value, dt.datetime):
                c.number_format = "yyyy/mm/dd hh:mm"
            elif isinstance(value, dt.date):
                c.number_format = "yyyy/mm/dd"
            elif isinstance(value, dt.time):
                c.number_format = "hh:mm"
            if header:
                c.font, c.fill, c.alignment = header_font, header_fill, header_align
            return c

        ws.append([cell(h, header=True) for h in sheet.headers])
        for values in sheet.rows:
            ws.append([cell(v) for v in values])
    with atomic_write(path, "wb") as fh:
        book.save(fh)
