"""Reading the spreadsheets secretariats live in: .xlsx and Excel CSV (cp932 / UTF-8)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pfdesk.core.atomic import read_error
from pfdesk.core.errors import FileProblem
from pfdesk.core.i18n import _

# ---------------------------------------------------------------------------------------------
# Data


@dataclass
class Row:
    """One data row: ``number`` is the row number Excel shows (the header row counts)."""

    number: int
    values: list[str]
    #: How many cells the CSV line really had, when fewer than the header (a shifted row).
    short_of: int | None = None


@dataclass
class Table:
    """A sheet or CSV file as text: ``source`` is the file name, for messages.

    Every row has at least ``len(headers)`` values (short rows are padded with "").
    """

    source: str
    headers: list[str]
    rows: list[Row]
    #: The row number of the header as Excel shows it.
    header_row: int = 1
    #: Merged ranges of the sheet as (first row, first column, last row, last column).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: (row, column) of formula cells Excel never calculated (no saved value).
    uncalculated: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class CellError:
    """A problem with one cell, reported as 「3行目「電話番号」: …」."""

    row: int
    column: str
    message: str


def format_errors(errors: Iterable[CellError], source: str) -> str:
    """Return the problems found in ``source``, one line per cell, in row order."""
    items = sorted(errors, key=lambda e: e.row)
    lines = [_("ファイル「{source}」に{count}件の問題があります。").format(
        source=source, count=len(items)
    )]
    for err in items:
        if err.column:
            lines.append(_("{row}行目「{column}」: {message}").format(
                row=err.row, column=err.column, message=err.message
            ))
        else:
            lines.append(_("{row}行目: {message}").format(row=err.row, message=err.message))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Reading

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_CSV_SUFFIXES = {".csv", ".txt"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx
_EDGE_INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff"
#: The largest workbook read (bytes on disk, and bytes of the sheet unpacked).
MAX_XLSX_BYTES = 40 * 1024 * 1024
MAX_SHEET_XML_BYTES = 400 * 1024 * 1024

#: Called now and then while reading: (rows read so far, rows in the sheet or 0 if unknown).
Progress = Callable[[int, int], None]


# A text cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def restore_formula_text(text: str) -> str:
    """Undo the ``'`` pfdesk's own CSV exports put before text that looks like a formula."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def clean_cell(text: str) -> str:
    if text.isprintable():  # no CR and no zero-width mark (neither is printable)
        return text.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # str.strip() already covers U+3000 and NBSP; zero-width marks are not "space" to it.
    return text.strip().strip(_EDGE_INVISIBLES).strip()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_cell(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        spec = "minutes" if value.second == 0 and not value.microsecond else "seconds"
        return value.isoformat(sep=" ", timespec=spec)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # 15 significant digits is what Excel itself displays and keeps.
        text = f"{value:.15g}"
        return format(Decimal(text), "f") if "e" in text else text
    return clean_cell(str(value))


def file_problem(message: str, path: Path, hint: str = "") -> FileProblem:
    return FileProblem(message, hint=hint, where=str(path))


def read_table(path: str | Path, *, sheet: str | None = None,
               progress: Progress | None = None) -> Table:
    """Read an .xlsx/.xlsm sheet (the first unless ``sheet`` is named) or a .csv/.txt file.

    The header is the first non-blank row; blank rows are skipped but still counted in
    ``Row.number``. Cells are text with surrounding spaces (also full-width) removed; Excel
    dates become "YYYY-MM-DD" and whole numbers lose their ".0". Formulas give the value
    Excel last saved. CSV may be UTF-8 (with or without BOM), UTF-16 or cp932, comma- or
    tab-separated. Any problem raises :class:`FileProblem` naming the file (and line).

    A workbook is read row by row (openpyxl's streaming mode) up to :data:`MAX_XLSX_BYTES`;
    its merged ranges and never-calculated formula cells are kept on the table so that an
    import can refuse them by row and column. ``progress`` hears the rows read so far.
    """
    src = Path(path)
    suffix = src.suffix.lower()
    if suffix == ".xls":
        raise file_problem(
            _("ファイル「{name}」は古い Excel 形式（.xls）のため読み込めません。").format(
                name=src.name
            ),
            src,
            _("Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで"
              "保存し直してから、そのファイルを選んでください。"),
        )
    if suffix not in _XLSX_SUFFIXES | _CSV_SUFFIXES:
        raise file_problem(
            _("ファイル「{name}」は読み込めない種類のファイルです。").format(name=src.name),
            src,
            _("Excel ファイル（.xlsx）か CSV ファイル（.csv）を選んでください。"),
        )
    try:
        if suffix in _XLSX_SUFFIXES and src.stat().st_size > MAX_XLSX_BYTES:
            raise _too_big(src)
        # Read it all at once: openpyxl's read-only mode would otherwise hold the file open,
        # and on Windows that stops Excel saving it while the import screen is showing.
        data = src.read_bytes()
    except OSError as exc:
        raise read_error(exc, src) from exc
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _empty(src)
    if suffix in _XLSX_SUFFIXES:
        extras: dict[str, Any] = {}
        tick = None if progress is None else (
            lambda n: progress(n, int(extras.get("total") or 0)))
        table = _to_table(src, _xlsx_records(src, data, sheet, extras), tick)
        table.merged = extras.get("merged", [])
        table.uncalculated = extras.get("uncalculated", [])
        return table
    csv_tick = None if progress is None else (lambda n: progress(n, 0))
    return _to_table(src, _csv_records(src, data), csv_tick, pad_csv=True)


def _too_big(src: Path) -> FileProblem:
    return file_problem(
        _("ファイル「{name}」は大きすぎるため読み込めません（{mb} MB まで）。").format(
            name=src.name, mb=MAX_XLSX_BYTES // (1024 * 1024)),
        src,
        _("取り込む表だけを新しいブックにコピーして保存するか、CSV で保存してから、"
          "もう一度お試しください。"),
    )


def _empty(src: Path) -> FileProblem:
    return file_problem(
        _("ファイル「{name}」にデータがありません（空のファイルです）。").format(name=src.name),
        src,
        _("見出しの行とデータが入ったファイルを選んでください。"),
    )


def _to_table(src: Path, records: Iterable[tuple[int, list[Any]]],
              progress: Callable[[int], None] | None = None, pad_csv: bool = False) -> Table:
    headers: list[str] | None = None
    header_row = 1
    rows: list[Row] = []
    # A file repeats its cells (blanks, 分野, 部署, 対応者): each distinct text is cleaned
    # once and the rows share the result. Only text is kept here, so no other value
    # (1, 1.0 and True are equal keys) is ever looked up as another's text.
    texts: dict[Any, str] = {}
    known = texts.get

    def first_seen(v: Any) -> str:
        text = cell_text(v)
        if v.__class__ is str:
            texts[v] = text
        return text

    for number, raw in records:
        if progress is not None and number % 1000 == 0:
            progress(number)
        values = [t if (t := known(v)) is not None else first_seen(v) for v in raw]
        if not any(values):
            continue
        if headers is None:
            while values and not values[-1]:
                values.pop()
            headers, header_row = values, number
            continue
        short_of = None
        if len(values) < len(headers):
            # A CSV line with too few commas has its values under the wrong headers; Excel
            # itself writes every column. A workbook row simply ends at its last cell.
            if pad_csv and any(h for h in headers[len(values):]):
                short_of = len(values)
            values.extend([""] * (len(headers) - len(values)))
        else:
            # Trailing empty cells past the last header are formatting noise, not data.
            while len(values) > len(headers) and not values[-1]:
                values.pop()
        rows.append(Row(number, values, short_of))
    if headers is None:
        raise _empty(src)
    return Table(source=src.name, headers=headers, rows=rows, header_row=header_row)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _scan_sheet_xml(src: Path, data: bytes, member: str
                    ) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int]]]:
    """The merged ranges of a sheet and its formula cells that hold no calculated value.

    openpyxl's streaming mode gives neither. The sheet is parsed as a stream (elements
    are dropped once seen), never unpacked whole, and refused past MAX_SHEET_XML_BYTES.
    A formula Excel calculated keeps its result in <v>; one written by a program and
    never opened in Excel has none (or an empty one without the text type).
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    merged: list[tuple[int, int, int, int]] = []
    uncalculated: list[tuple[int, int]] = []

    class _Counted(io.RawIOBase):
        def __init__(self, raw):
            self.raw, self.total = raw, 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self.raw.read(len(buffer))
            self.total += len(chunk)
            if self.total > MAX_SHEET_XML_BYTES:
                raise _too_big(src)
            buffer[:len(chunk)] = chunk
            return len(chunk)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(member.lstrip("/")) as fh:
            for _event, el in iterparse(_Counted(fh), events=("end",)):
                tag = el.tag
                if tag == f"{_MAIN_NS}c":
                    f = el.find(f"{_MAIN_NS}f")
                    if f is not None:
                        v = el.find(f"{_MAIN_NS}v")
                        empty = v is None or (not v.text and el.get("t") != "str")
                        if empty and el.get("r"):
                            uncalculated.append(coordinate_to_tuple(el.get("r")))
                    el.clear()
                elif tag == f"{_MAIN_NS}row":
                    el.clear()
                elif tag == f"{_MAIN_NS}mergeCell" and el.get("ref"):
                    ref = el.get("ref", "")
                    c1, r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
                    merged.append((r1, c1, r2, c2))
    except FileProblem:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet is reported when openpyxl reads it
        return [], []
    return sorted(set(merged)), uncalculated


def _xlsx_records(src: Path, data: bytes, sheet: str | None,
                  extras: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # openpyxl is slow to import; only load it when needed

    if data.startswith(_OLE_MAGIC):
        raise file_problem(
            _("ファイル「{name}」は、パスワードで保護されているか古い形式のため読み込めません。")
            .format(name=src.name),
            src,
            _("Excel で開いてパスワードを解除し、「Excel ブック (*.xlsx)」として保存し直してから、"
              "もう一度お試しください。"),
        )
    broken = file_problem(
        _("ファイル「{name}」を Excel ファイルとして読み込めません。").format(name=src.name),
        src,
        _("ファイルが壊れているか、Excel 形式ではない可能性があります。"
          "Excel で開けるか確認し、保存し直してから、もう一度お試しください。"),
    )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extras (data validation etc.): not our users' concern
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged file can fail anywhere inside the zip/XML parsers
        raise broken from exc
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise file_problem(
                _("ファイル「{name}」にシート「{sheet}」がありません。").format(
                    name=src.name, sheet=sheet
                ),
                src,
                _("このファイルにあるシート: {names}").format(names="、".join(book.sheetnames)),
            )
        if not hasattr(ws, "reset_dimensions"):
            raise file_problem(
                _("ファイル「{name}」のシート「{sheet}」は表のシートではありません。").format(
                    name=src.name, sheet=ws.title
                ),
                src,
            )
        merged, uncalculated = _scan_sheet_xml(src, data, getattr(ws, "_worksheet_path", ""))
        extras["merged"] = merged
        extras["uncalculated"] = uncalculated
        extras["total"] = ws.max_row  # as the file declares it: only for the progress bar
        # Some programs write a wrong sheet size; trusting it would silently drop rows.
        ws.reset_dimensions()
        try:
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                yield number, list(values)
        except FileProblem:
            raise
        except Exception as exc:  # rows are parsed lazily, so damage can surface only here
            raise broken from exc
    finally:
        book.close()


def _decode(src: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # Excel's 「Unicode テキスト」
    else:
        encodings = ["utf-8", "cp932"]
    # Only the position is kept: an exception kept in a local holds its traceback, which
    # holds this frame and its callers' (an import's whole plan) until a cycle collection.
    furthest = -1
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # The encoding that got further is the one the file was most likely written in.
            furthest = max(furthest, exc.start)
    line = data.count(b"\n", 0, furthest) + 1
    raise file_problem(
        _("ファイル「{name}」の{line}行目に、読み取れない文字があります。").format(
            name=src.name, line=line
        ),
        src,
        _("Excel で開き、「CSV UTF-8 (コンマ区切り)」か「CSV (コンマ区切り)」で保存し直してから、"
          "もう一度お試しください。"),
    )


def _csv_records(src: Path, data: bytes) -> Iterable[tuple[int, list[str]]]:
    text = _decode(src, data)
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    number = 0
    while True:
        start_line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            # At the end of the file (or of the size limit) the culprit is the quote that
            # opened the record, not the line where the reader gave up.
            runaway = "end of data" in str(exc) or "field limit" in str(exc)
            line = start_line if runaway else reader.line_num
            raise file_problem(
                _("ファイル「{name}」の{line}行目で、「\"」（ダブルクォーテーション）の"
                  "対応が取れていません。").format(name=src.name, line=line),
                src,
                _("その行の「\"」を確認して直すか、Excel で開いて保存し直してから、"
                  "もう一度お試しください。"),
            ) from exc
        number += 1
        records.append((number, [restore_formula_text(v) if v[:1] == "'" else v
                                 for v in values]))


