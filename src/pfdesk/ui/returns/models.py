"""Thin table models of the returns page: preview cells, past returns, 差分, figure names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.ui.table_model import SORT_ROLE
from pfdesk.ui.table_model import RowsModel as BaseRowsModel

#: A column: header, display text, sort value, right-aligned (or a test of the row).
Column = tuple[str, Callable[[Any], str], Callable[[Any], Any], bool | Callable[[Any], bool]]


def _num(v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, date):
        return _("{d}（日付）").format(d=format_date(v))  # a real date in a date cell
    return "" if v is None else str(v)


def _local(t: datetime) -> str:
    """A stored UTC time in the computer's local time."""
    return t.replace(tzinfo=UTC).astimezone().strftime("%Y/%m/%d %H:%M")


def _diff(d: int | None) -> str:
    if d is None:
        return ""
    return "0" if d == 0 else f"{d:+,}"


def _sortable(v: Any) -> Any:
    # ints before text (＊, names) so a sort by value never compares int with str
    return (0, v, "") if isinstance(v, int) else (1, 0, str(v))


class RowsModel(BaseRowsModel):
    """A read-only table over frozen dataclass rows; numbers may be right-aligned."""

    columns: list[Column] = []

    def background(self, row: Any) -> QColor | None:
        """A background colour for a row (none by default)."""
        return None

    def cell(self, row: Any, column: int, role: int) -> Any:
        """Text, sort value, alignment and background."""
        _h, text, key, right = self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(row)
        if role == SORT_ROLE:
            return key(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and (
                right(row) if callable(right) else right):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.background(row)
            return QBrush(color) if color else None
        return None


class PreviewModel(RowsModel):
    """The cells a prefecture form will get: シート, セル, 見出し, 値, 内容, 数値名."""

    columns = [
        (_("シート"), lambda r: r.sheet, lambda r: r.sheet, False),
        (_("セル"), lambda r: r.cell, lambda r: r.cell, False),
        (_("様式の見出し"), lambda r: r.label.replace("\n", " "), lambda r: r.label, False),
        (_("記入する値"), lambda r: _num(r.value) if r.value != "" else _("（空欄）"),
         lambda r: _sortable(r.value), lambda r: isinstance(r.value, int)),
        (_("内容"), lambda r: r.description, lambda r: r.description, False),
        (_("数値名"), lambda r: r.figure, lambda r: r.figure, False),
        (_("設定の行"), lambda r: str(r.line or ""), lambda r: r.line, True),
        (_("注意"), lambda r: r.note, lambda r: r.note, False),
    ]

    def background(self, row: Any) -> QColor | None:
        """Rows with a warning stand out without scrolling to the 注意 column."""
        return QColor("#fff4e5") if row.note else None

    def cell(self, row: Any, column: int, role: int) -> Any:
        """The 注意 as every cell's tooltip, so it is read without scrolling."""
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.note or None
        return super().cell(row, column, role)


class SnapshotModel(RowsModel):
    """Returns produced so far, newest first."""

    columns = [
        (_("作成日時"), lambda r: _local(r.created_at),
         lambda r: r.created_at, False),
        (_("期間"), lambda r: r.period_label, lambda r: r.start, False),
        (_("様式"), lambda r: r.form_name or _("標準様式"), lambda r: r.form_name, False),
        (_("秘匿"), lambda r: _("あり") if r.suppressed else "", lambda r: r.suppressed, False),
        (_("作成者"), lambda r: r.created_by, lambda r: r.created_by, False),
        (_("ファイル"), lambda r: r.output_name, lambda r: r.output_name, False),
        (_("確認コード（ファイルの改ざん確認用）"), lambda r: r.output_sha256[:12], lambda r: r.output_sha256, False),
    ]


class DiffModel(RowsModel):
    """This return's figures against the previous 年度."""

    columns = [
        (_("内容"), lambda r: r.description, lambda r: r.description, False),
        (_("今回"), lambda r: _num(r.current), lambda r: _sortable(r.current), True),
        (_("前年度"), lambda r: _num(r.previous), lambda r: _sortable(r.previous), True),
        (_("差"), lambda r: _diff(r.difference),
         lambda r: r.difference if r.difference is not None else 0, True),
        (_("数値名"), lambda r: r.figure, lambda r: r.figure, False),
    ]

    def background(self, row: Any) -> QColor | None:
        """Changes stand out."""
        if row.difference is None or row.difference == 0:
            return None
        return QColor("#fde9e7") if row.difference < 0 else QColor("#e7f3fd")


class FigureModel(RowsModel):
    """The catalogue of figure names, for writing mappings."""

    columns = [
        (_("分類"), lambda r: r.group, lambda r: r.group, False),
        (_("数値名"), lambda r: r.name, lambda r: r.name, False),
        (_("意味"), lambda r: r.description, lambda r: r.description, False),
    ]


def period_text(start, end) -> str:
    """``令和7年4月1日～令和8年3月31日``."""
    return f"{format_date(start)}～{format_date(end)}"
