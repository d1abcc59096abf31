"""Read and write the spreadsheets secretariats live in: Excel workbooks and Excel-style CSV.

Reading gives plain text cells with the row numbers Excel shows; every failure names the file
and the line. Writing reports each character that cp932 (Shift_JIS) could not hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pfdesk.core.atomic import atomic_write, read_error
from pfdesk.core.errors import FileProblem, ValidationError
from pfdesk.core.i18n import _

# ---------------------------------------------------------------------------------------------
# Data


@dataclass
class Row:
    """One data row: ``number`` is the row number Excel shows (the header row counts)."""

    number: int
    values: list[str]


@dataclass
class Table:
    """A sheet or CSV file as text: ``source`` is the file name, for messages.

    Every row has at least ``len(headers)`` values (short rows are padded with "").
    """

    source: str
    headers: list[str]
    rows: list[Row]


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


def _clean_cell(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # str.strip() already covers U+3000 and NBSP; zero-width marks are not "space" to it.
    return text.strip().strip(_EDGE_INVISIBLES).strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_cell(value)
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
    return _clean_cell(str(value))


def _problem(message: str, path: Path, hint: str = "") -> FileProblem:
    return FileProblem(message, hint=hint, where=str(path))


def read_table(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read an .xlsx/.xlsm sheet (the first unless ``sheet`` is named) or a .csv/.txt file.

    The header is the first non-blank row; blank rows are skipped but still counted in
    ``Row.number``. Cells are text with surrounding spaces (also full-width) removed; Excel
    dates become "YYYY-MM-DD" and whole numbers lose their ".0". Formulas give the value
    Excel last saved. CSV may be UTF-8 (with or without BOM), UTF-16 or cp932, comma- or
    tab-separated. Any problem raises :class:`FileProblem` naming the file (and line).
    """
    src = Path(path)
    suffix = src.suffix.lower()
    if suffix == ".xls":
        raise _problem(
            _("ファイル「{name}」は古い Excel 形式（.xls）のため読み込めません。").format(
                name=src.name
            ),
            src,
            _("Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで"
              "保存し直してから、そのファイルを選んでください。"),
        )
    if suffix not in _XLSX_SUFFIXES | _CSV_SUFFIXES:
        raise _problem(
            _("ファイル「{name}」は読み込めない種類のファイルです。").format(name=src.name),
            src,
            _("Excel ファイル（.xlsx）か CSV ファイル（.csv）を選んでください。"),
        )
    try:
        # Read it all at once: openpyxl's read-only mode would otherwise hold the file open,
        # and on Windows that stops Excel saving it while the import screen is showing.
        data = src.read_bytes()
    except OSError as exc:
        raise read_error(exc, src) from exc
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _empty(src)
    if suffix in _XLSX_SUFFIXES:
        records = _xlsx_records(src, data, sheet)
    else:
        records = _csv_records(src, data)
    return _to_table(src, records)


def _empty(src: Path) -> FileProblem:
    return _problem(
        _("ファイル「{name}」にデータがありません（空のファイルです）。").format(name=src.name),
        src,
        _("見出しの行とデータが入ったファイルを選んでください。"),
    )


def _to_table(src: Path, records: Iterable[tuple[int, list[str]]]) -> Table:
    headers: list[str] | None = None
    rows: list[Row] = []
    for number, raw in records:
        values = [_cell_text(v) for v in raw]
        if not any(values):
            continue
        if headers is None:
            while values and not values[-1]:
                values.pop()
            headers = values
            continue
        if len(values) < len(headers):
            values.extend([""] * (len(headers) - len(values)))
        else:
            # Trailing empty cells past the last header are formatting noise, not data.
            while len(values) > len(headers) and not values[-1]:
                values.pop()
        rows.append(Row(number, values))
    if headers is None:
        raise _empty(src)
    return Table(source=src.name, headers=headers, rows=rows)


def _xlsx_records(src: Path, data: bytes, sheet: str | None) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # openpyxl is slow to import; only load it when needed

    if data.startswith(_OLE_MAGIC):
        raise _problem(
            _("ファイル「{name}」は、パスワードで保護されているか古い形式のため読み込めません。")
            .format(name=src.name),
            src,
            _("Excel で開いてパスワードを解除し、「Excel ブック (*.xlsx)」として保存し直してから、"
              "もう一度お試しください。"),
        )
    broken = _problem(
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
            raise _problem(
                _("ファイル「{name}」にシート「{sheet}」がありません。").format(
                    name=src.name, sheet=sheet
                ),
                src,
                _("このファイルにあるシート: {names}").format(names="、".join(book.sheetnames)),
            )
        if not hasattr(ws, "reset_dimensions"):
            raise _problem(
                _("ファイル「{name}」のシート「{sheet}」は表のシートではありません。").format(
                    name=src.name, sheet=ws.title
                ),
                src,
            )
        # Some programs write a wrong sheet size; trusting it would silently drop rows.
        ws.reset_dimensions()
        try:
            return [
                (number, list(values))
                for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1)
            ]
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
    furthest: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # The encoding that got further is the one the file was most likely written in.
            if furthest is None or exc.start > furthest.start:
                furthest = exc
    assert furthest is not None
    line = data.count(b"\n", 0, furthest.start) + 1
    raise _problem(
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
            raise _problem(
                _("ファイル「{name}」の{line}行目で、「\"」（ダブルクォーテーション）の"
                  "対応が取れていません。").format(name=src.name, line=line),
                src,
                _("その行の「\"」を確認して直すか、Excel で開いて保存し直してから、"
                  "もう一度お試しください。"),
            ) from exc
        number += 1
        records.append((number, values))


# ---------------------------------------------------------------------------------------------
# Column mapping


@dataclass(frozen=True)
class FieldSpec:
    """A field an import needs: its key, Japanese label and other header spellings."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


_MARKERS = re.compile(
    r"[(\[【〔<《]\s*(必須|任意|必要|入力必須|省略可|必ず入力)\s*[)\]】〕>》]|[※*＊:：]"
)


def fold_header(text: str) -> str:
    """Fold a header for matching: NFKC, no spaces or 必須 marks, lowercase, hiragana."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKERS.sub("", text)
    text = "".join(text.split()).casefold()
    return "".join(
        chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" or ch in "ヽヾ" else ch for ch in text
    )


def guess_mapping(headers: list[str], fields: list[FieldSpec]) -> dict[str, int]:
    """Guess which column holds each field: field key → column index (unmatched left out).

    Exact matches of label or alias come first; then a label or alias contained in a header,
    the longest (most specific) match winning. Each column is used at most once.
    """
    folded = [fold_header(h) for h in headers]
    terms = {
        f.key: {t for t in (fold_header(x) for x in (f.label, *f.aliases)) if t} for f in fields
    }
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for f in fields:
        for col, head in enumerate(folded):
            if col not in used and head in terms[f.key]:
                mapping[f.key] = col
                used.add(col)
                break
    candidates = []
    for order, f in enumerate(fields):
        if f.key in mapping:
            continue
        for col, head in enumerate(folded):
            for term in terms[f.key]:
                if col not in used and term in head:
                    candidates.append((-len(term), len(head) - len(term), order, col, f.key))
    for *_ignored, col, key in sorted(candidates):
        if key not in mapping and col not in used:
            mapping[key] = col
            used.add(col)
    return mapping


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a mapping file ``{"fields": {"key": "header text"}}``: field key → header."""
    src = Path(path)
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise read_error(exc, src) from exc
    try:
        # Notepad may save with a BOM, or in the ANSI code page on older Windows.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp932", errors="replace")
    hint = _('形式は {"fields": {"項目のキー": "見出しの文字", ...}} です。')
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _problem(
            _("列の対応表「{name}」の{line}行目の書き方に誤りがあります。").format(
                name=src.name, line=exc.lineno
            ),
            src,
            _("「\"」や「,」の抜けがないか確認してください。") + hint,
        ) from exc
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not isinstance(fields, dict) or not all(
        isinstance(v, str | None) for v in fields.values()
    ):
        raise _problem(
            _("列の対応表「{name}」の中身が対応表の形式になっていません。").format(name=src.name),
            src,
            hint,
        )
    return {str(k): v for k, v in fields.items() if v}


def save_mapping(path: str | Path, mapping: dict[str, str]) -> None:
    """Save a mapping as readable UTF-8 JSON, replacing the file all at once."""
    text = json.dumps({"fields": mapping}, ensure_ascii=False, indent=2) + "\n"
    with atomic_write(path, "w", encoding="utf-8", newline="\r\n") as fh:
        fh.write(text)


def resolve_mapping(headers: list[str], saved: dict[str, str]) -> dict[str, int]:
    """Turn a saved field key → header mapping into column indexes for these ``headers``.

    Headers are compared as written first, then folded (full-width, spaces, 必須 marks).
    Raises :class:`ValidationError` naming every header that is not in the file.
    """
    exact = {}
    folded = {}
    for col, head in enumerate(headers):
        exact.setdefault(_clean_cell(head), col)
        folded.setdefault(fold_header(head), col)
    result: dict[str, int] = {}
    missing: list[tuple[str, str]] = []
    for key, head in saved.items():
        col = exact.get(_clean_cell(head), folded.get(fold_header(head)))
        if col is None:
            missing.append((key, head))
        else:
            result[key] = col
    if missing:
        names = "".join(f"「{head}」" for _key, head in missing)
        raise ValidationError(
            _("ファイルに列{names}が見つかりません。").format(names=names),
            field=missing[0][0],
            hint=_("1行目（見出し）の文字が変わっていないか確認するか、"
                   "列の対応づけをやり直してください。"),
        )
    return result


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


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _cell_text(value)
    return str(value)


def write_csv(
    path: str | Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: Literal["utf-8-sig", "cp932"],
) -> EncodingReport:
    """Write a CSV file Excel opens directly (CRLF line ends), replacing ``path`` at once.

    With ``cp932`` every character it cannot hold is replaced (a standard form such as
    𠮷→吉 where one exists, else 〓) and listed in the returned report.
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
    text = _cell_text(value) if not isinstance(value, str) else value
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
