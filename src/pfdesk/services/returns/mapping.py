"""The mapping (記入設定) that says which figure goes into which cell of a prefecture's form.

The format is TOML, written and corrected by hand in Notepad::

    # 東雲県 ひきこもり支援状況調査票（令和8年度様式）の記入設定
    [form]
    title = "東雲県 ひきこもり支援状況調査票"   # 表示用の名前（省略可）
    suppress_small = false                      # true: 1～2 の人数・件数を「＊」にする

    [sheets."1 相談実績"]                        # シート名（様式のシート見出しそのまま）
    C6 = "new.month.4"                          # セル = "数値名"（docs/figures.md の一覧）
    D6 = "persons.month.4"
    H6 = ["contacts.month.4.online", "contacts.month.4.other"]   # 合計して記入

    [sheets."3 窓口"]
    C4 = "settings.window_name"
    C9 = { figure = "settings.survey_year", year = "西暦" }    # 2023（和暦 なら 令和5年度）
    B2 = { figure = "answer.date", overwrite = true }            # 見出しの入ったセルにも書く
    J6 = "その他"                                                # [groups] で決めた合計
    K6 = "referrals.*"                                           # referrals.… をすべて合計

    [groups]
    "その他" = ["referrals.*", "-referrals.hello_work", "-referrals.medical"]

Every problem is found before anything is written, each named by its line: TOML syntax,
unknown figure names (with the closest known name), sheets the form does not have, cell
addresses that are not cells, cells inside a merged range that are not its top-left
cell, and cells holding a formula (the form computes those itself).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from difflib import get_close_matches

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.services.returns.figures import catalogue, figure_def, suggest
from pfdesk.services.returns.fit import printed_text

MAX_ROW = 1_048_576
MAX_COL = 16_384

_HEADER = re.compile(r"^\s*\[\s*sheets\s*\.\s*(.+?)\s*\]\s*(#.*)?$")
_OTHER_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_$-]+)\s*=")


@dataclass(frozen=True)
class MappingEntry:
    """One cell of the form and the figure (or the sum of figures) that goes there."""

    sheet: str
    cell: str
    figures: tuple[str, ...]
    line: int
    #: "西暦" or "和暦" for a cell that asks for a year in that form ("" otherwise).
    year: str = ""
    #: Write even over a cell of the form that holds text (a printed label).
    overwrite: bool = False
    #: How the mapping named it when that was a pattern or a group ("referrals.*", "その他").
    label: str = ""

    @property
    def figure(self) -> str:
        """The figure name, the group or pattern, or ``a + b`` for a sum."""
        return self.label or " + ".join(self.figures)


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping (its text is kept with each return produced from it)."""

    source: str
    text: str
    title: str
    suppress_small: bool
    entries: list[MappingEntry]
    groups: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class MappingProblem:
    """One problem, with the line of the mapping it is on (0 when it concerns the file)."""

    line: int
    text: str

    def __str__(self) -> str:
        if self.line:
            return _("{line} 行目: {text}").format(line=self.line, text=self.text)
        return self.text


class MappingError(ValidationError):
    """The mapping cannot be used; ``problems`` lists every reason, by line."""

    def __init__(self, source: str, problems: list[MappingProblem]) -> None:
        self.problems = problems
        super().__init__(
            _("記入設定「{src}」に問題が {n} 件あります。何も書き出していません。").format(
                src=source, n=len(problems)
            ),
            field="mapping",
            hint="\n".join(str(p) for p in problems)
            + "\n" + _("記入設定ファイルをメモ帳などで直してから、もう一度お試しください。"),
        )


def _unquote(key: str) -> str:
    key = key.strip()
    if key[:1] in "\"'":
        try:
            return tomllib.loads(f"k = {key}")["k"]
        except tomllib.TOMLDecodeError:
            return key.strip("\"'")
    return key


def _lines(text: str) -> dict[tuple[str, str], int]:
    """(sheet, cell) → line number, read from the text because tomllib keeps no positions."""
    where: dict[tuple[str, str], int] = {}
    sheet: str | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if m := _HEADER.match(line):
            sheet = _unquote(m.group(1))
        elif _OTHER_HEADER.match(line):
            sheet = None
        elif sheet is not None and (m := _KEY.match(line)):
            where.setdefault((sheet, _unquote(m.group(1))), n)
    return where


def _form_line(text: str, key: str) -> int:
    """The line of ``key`` under [form] (0 when not found)."""
    inside = False
    for n, line in enumerate(text.splitlines(), start=1):
        if _OTHER_HEADER.match(line):
            inside = line.strip().startswith("[form]")
        elif inside and (m := _KEY.match(line)) and _unquote(m.group(1)) == key:
            return n
    return 0


def parse_cell(cell: str) -> tuple[int, int] | None:
    """(row, column) of an address such as ``C6``; None when it is not a cell on a sheet."""
    # openpyxl is imported when a form is read, not with the 報告 page
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.utils.exceptions import CellCoordinatesException

    try:
        col, row = coordinate_from_string(cell.strip().upper())
        c = column_index_from_string(col)
    except (ValueError, CellCoordinatesException):
        return None
    if not (1 <= row <= MAX_ROW and 1 <= c <= MAX_COL):
        return None
    return row, c


def parse_mapping(text: str, source: str = "mapping.toml") -> Mapping:
    """Read and check a mapping on its own (names and addresses); raises MappingError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise MappingError(source, [MappingProblem(
            int(m.group(1)) if m else 0,
            _("TOML の書き方が正しくありません（{detail}）。引用符「\"」や「=」を確かめてください。")
            .format(detail=e),
        )]) from None
    problems: list[MappingProblem] = []
    for key in data:
        if key not in ("form", "sheets", "groups"):
            problems.append(MappingProblem(0, _(
                "「[{key}]」は使えない見出しです。使えるのは [form]、[groups] と "
                "[sheets.\"シート名\"] です。").format(key=key)))
    groups = _groups(data.get("groups", {}), text, problems)
    form = data.get("form", {})
    if not isinstance(form, dict):
        form = {}
    for key in form:
        if key not in ("title", "suppress_small"):
            problems.append(MappingProblem(_form_line(text, key), _(
                "[form] の「{key}」は使えない項目です。使えるのは title と suppress_small です。"
            ).format(key=key)))
    title = str(form.get("title", ""))
    suppress_small = form.get("suppress_small", False)
    if not isinstance(suppress_small, bool):
        problems.append(MappingProblem(0, _(
            "[form] の suppress_small には true か false を書いてください。")))
        suppress_small = False
    where = _lines(text)
    entries: list[MappingEntry] = []
    sheets = data.get("sheets", {})
    if not isinstance(sheets, dict) or not sheets:
        problems.append(MappingProblem(0, _(
            "記入するセルが1つもありません。[sheets.\"シート名\"] の下に「C6 = \"new.total\"」の"
            "ように書いてください。")))
        sheets = {}
    for sheet, cells in sheets.items():
        if not isinstance(cells, dict):
            problems.append(MappingProblem(0, _(
                "「sheets.{sheet}」は [sheets.\"シート名\"] の見出しとして書いてください。"
            ).format(sheet=sheet)))
            continue
        for cell, figure in cells.items():
            line = where.get((sheet, cell), 0)
            options: dict = {}
            if isinstance(figure, dict):
                options, figure = _cell_options(figure, sheet, cell, line, problems)
                if figure is None:
                    continue
            label = ""
            if isinstance(figure, str) and figure.strip() in groups:
                label = figure.strip()
                figure = list(groups[label])
            elif isinstance(figure, str) and "*" in figure:
                label = figure.strip()
                figure = _expand([label], line, problems)
                if not figure:
                    continue
            names = [figure] if isinstance(figure, str) else figure
            if not isinstance(names, list) or not names or not all(
                isinstance(n, str) for n in names
            ):
                problems.append(MappingProblem(line, _(
                    "シート「{sheet}」のセル {cell} の値は \"数値名\" のように引用符で囲むか、"
                    "合計するときは [\"数値名\", \"数値名\"] と書いてください。").format(
                        sheet=sheet, cell=cell)))
                continue
            if parse_cell(cell) is None:
                problems.append(MappingProblem(line, _(
                    "「{cell}」はセルの番地として読めないか、シートの範囲外です"
                    "（例: C6、AB120）。").format(cell=cell)))
                continue
            names = [n.strip() for n in names]
            bad = False
            for name in names:
                definition = figure_def(name)
                if definition is None:
                    bad = True
                    hint = suggest(name)
                    text_ = _("数値名「{name}」はありません。").format(name=name)
                    if hint:
                        text_ += _("「{hint}」の誤りではありませんか。").format(hint=hint)
                    else:
                        text_ += _("使える数値名は docs/figures.md の一覧にあります。")
                    problems.append(MappingProblem(line, text_))
                elif len(names) > 1 and definition.is_text:
                    bad = True
                    problems.append(MappingProblem(line, _(
                        "数値名「{name}」は文字の項目なので合計できません。").format(name=name)))
            if not bad:
                entries.append(MappingEntry(sheet, cell.strip().upper(), tuple(names), line,
                                            label=label, **options))
    if problems:
        raise MappingError(source, sorted(problems, key=lambda p: p.line))
    return Mapping(source, text, title, suppress_small, entries, groups)


_YEAR_STYLES = ("西暦", "和暦")


def _cell_options(table: dict, sheet: str, cell: str, line: int,
                  problems: list[MappingProblem]) -> tuple[dict, object]:
    """Read ``{ figure = "…", year = "西暦", overwrite = true }``: (options, figure)."""
    known = {"figure", "figures", "year", "overwrite"}
    for key in table:
        if key not in known:
            problems.append(MappingProblem(line, _(
                "シート「{sheet}」のセル {cell} の「{key}」は使えない項目です。使えるのは "
                "figure、figures、year、overwrite です。").format(sheet=sheet, cell=cell, key=key)))
    figure = table.get("figure", table.get("figures"))
    if figure is None:
        problems.append(MappingProblem(line, _(
            "シート「{sheet}」のセル {cell} に figure = \"数値名\" がありません。").format(
                sheet=sheet, cell=cell)))
    options: dict = {}
    year = table.get("year", "")
    if year and year not in _YEAR_STYLES:
        problems.append(MappingProblem(line, _(
            "year には \"西暦\" か \"和暦\" を書いてください（「{y}」は使えません）。").format(y=year)))
    elif year:
        options["year"] = year
    overwrite = table.get("overwrite", False)
    if not isinstance(overwrite, bool):
        problems.append(MappingProblem(line, _("overwrite には true か false を書いてください。")))
    elif overwrite:
        options["overwrite"] = True
    return options, figure


def _expand(patterns: list, line: int, problems: list[MappingProblem]) -> list[str]:
    """Names for a list of names and patterns (``referrals.*``); ``-name`` leaves one out.

    A pattern covers the numeric figures it matches except the ``….total`` ones, so that
    ``referrals.*`` adds up the つなぎ先 without counting their total twice.
    """
    names: list[str] = []
    numeric = [f.name for f in catalogue() if not f.is_text]
    for item in patterns:
        if not isinstance(item, str):
            problems.append(MappingProblem(line, _("合計する数値名は引用符で囲んでください。")))
            continue
        item = item.strip()
        drop = item.startswith("-")
        pattern = item.lstrip("-").strip()
        if "*" in pattern:
            found = [n for n in numeric if fnmatch.fnmatchcase(n, pattern)
                     and (n.endswith(".total") == pattern.endswith(".total"))]
            if not found:
                problems.append(MappingProblem(line, _(
                    "「{p}」に当てはまる数値名がありません。").format(p=pattern)))
        else:
            found = [pattern]
        if drop:
            names = [n for n in names if n not in found]
        else:
            names += [n for n in found if n not in names]
    return names


def _groups(table: object, text: str, problems: list[MappingProblem]) -> dict[str, tuple]:
    """[groups]: a name for a sum used in several cells (「その他」 = [...])."""
    if not isinstance(table, dict):
        problems.append(MappingProblem(0, _(
            "[groups] には 名前 = [\"数値名\", …] の形で書いてください。")))
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for name, items in table.items():
        line = _section_line(text, "groups", name)
        if not isinstance(items, list) or not items:
            problems.append(MappingProblem(line, _(
                "[groups] の「{name}」は [\"数値名\", …] のように書いてください。").format(name=name)))
            continue
        names = _expand(items, line, problems)
        for n in names:
            if figure_def(n) is None:
                hint = suggest(n)
                problems.append(MappingProblem(line, _("数値名「{name}」はありません。").format(
                    name=n) + (_("「{hint}」の誤りではありませんか。").format(hint=hint)
                               if hint else "")))
        if names:
            out[str(name)] = tuple(names)
    return out


def _section_line(text: str, section: str, key: str) -> int:
    """The line of ``key`` under [section] (0 when not found)."""
    inside = False
    for n, line in enumerate(text.splitlines(), start=1):
        if _OTHER_HEADER.match(line):
            inside = line.strip().startswith(f"[{section}]")
        elif inside and (m := _KEY.match(line)) and _unquote(m.group(1)) == key:
            return n
    return 0


def check_against_form(mapping: Mapping, wb, form_name: str) -> None:
    """Check every target cell against the opened form; raises MappingError listing all."""
    problems: list[MappingProblem] = []
    missing: dict[str, list[int]] = {}
    for e in mapping.entries:
        if e.sheet not in wb.sheetnames:
            missing.setdefault(e.sheet, []).append(e.line)
            continue
        ws = wb[e.sheet]
        position = parse_cell(e.cell)
        if position is None:  # parsing keeps only readable cells; say so if one slipped in
            problems.append(MappingProblem(e.line, _(
                "「{cell}」はセルの番地として読めないか、シートの範囲外です"
                "（例: C6、AB120）。").format(cell=e.cell)))
            continue
        row, col = position
        for rng in ws.merged_cells.ranges:
            if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
                anchor = rng.start_cell.coordinate
                if anchor != e.cell:
                    problems.append(MappingProblem(e.line, _(
                        "シート「{sheet}」のセル {cell} は結合セル {rng} の一部です。"
                        "左上のセル {anchor} を指定してください。").format(
                            sheet=e.sheet, cell=e.cell, rng=rng.coord, anchor=anchor)))
                break
        target = ws.cell(row=row, column=col)
        label = printed_text(target) if not e.overwrite else ""
        if label:
            problems.append(MappingProblem(e.line, _(
                "シート「{sheet}」のセル {cell} には様式の文字「{label}」があります。"
                "見出しを消さないよう記入しません。セル番地がずれていないか確かめ、書き換えて"
                "よいときは {cell} = {{ figure = \"{figure}\", overwrite = true }} と書いて"
                "ください。").format(sheet=e.sheet, cell=e.cell, label=label[:20],
                                    figure=e.figure)))
        value = target.value
        from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

        if isinstance(value, ArrayFormula | DataTableFormula):
            value = getattr(value, "text", None) or "=…"
        if isinstance(value, str) and value.startswith("="):
            problems.append(MappingProblem(e.line, _(
                "シート「{sheet}」のセル {cell} には数式（{f}）があります。数式のセルには"
                "記入できません。").format(sheet=e.sheet, cell=e.cell, f=value)))
    # One message per missing sheet (at its first cell), not one per cell under it.
    for sheet, lines in missing.items():
        close = get_close_matches(sheet, wb.sheetnames, n=1, cutoff=0.5)
        text_ = _("様式「{form}」にシート「{sheet}」がありません。").format(
            form=form_name, sheet=sheet)
        text_ += (_("「{c}」の誤りではありませんか。").format(c=close[0]) if close else
                  _("様式のシートは {names} です。").format(
                      names="、".join(f"「{n}」" for n in wb.sheetnames)))
        if len(lines) > 1:
            text_ += _("（このシートに記入する {n} か所）").format(n=len(lines))
        problems.append(MappingProblem(lines[0], text_))
    problems.sort(key=lambda p: p.line)
    if problems:
        raise MappingError(mapping.source, problems)
