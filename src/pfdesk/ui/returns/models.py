"""Thin table models of the returns page: preview cells, past returns, 差分, figure names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_short_datetime
from pfdesk.ui.table_model import Column, ColumnsModel

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_WARNING = QBrush(QColor("#fff4e5"))
_FELL, _ROSE = QBrush(QColor("#fde9e7")), QBrush(QColor("#e7f3fd"))


def _num(v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, date):
        return _("{d}（日付）").format(d=format_date(v))  # a real date in a date cell
    return "" if v is None else str(v)


def _local(t: datetime) -> str:
    """A stored UTC time in the computer's local time."""
    return format_short_datetime(t.replace(tzinfo=UTC).astimezone())


def _diff(d: int | None) -> str:
    if d is None:
        return ""
    return "0" if d == 0 else f"{d:+,}"


def _sortable(v: Any) -> Any:
    # ints before text (＊, names) so a sort by value never compares int with str
    return (0, v, "") if isinstance(v, int) else (1, 0, str(v))


class PreviewModel(ColumnsModel):
    """The cells a prefecture form will get: シート, セル, 見出し, 値, 内容, 数値名."""

    columns = (
        Column(_("シート"), lambda r: r.sheet, lambda r: r.sheet),
        Column(_("セル"), lambda r: r.cell, lambda r: r.cell),
        Column(_("様式の見出し"), lambda r: r.label.replace("\n", " "), lambda r: r.label),
        Column(_("記入する値"), lambda r: _num(r.value) if r.value != "" else _("（空欄）"),
               lambda r: _sortable(r.value),
               lambda r: _RIGHT if isinstance(r.value, int) else _LEFT),
        Column(_("内容"), lambda r: r.description, lambda r: r.description),
        Column(_("数値名"), lambda r: r.figure, lambda r: r.figure),
        Column(_("設定の行"), lambda r: str(r.line or ""), lambda r: r.line, _RIGHT),
        Column(_("注意"), lambda r: r.note, lambda r: r.note),
    )

    def background(self, row: Any) -> QBrush | None:
        """Rows with a warning stand out without scrolling to the 注意 column."""
        return _WARNING if row.note else None

    def tooltip(self, row: Any) -> str | None:
        """The 注意 as every cell's tooltip, so it is read without scrolling."""
        return row.note or None


class SnapshotModel(ColumnsModel):
    """Returns produced so far, newest first."""

    columns = (
        Column(_("作成日時"), lambda r: _local(r.created_at),
               lambda r: r.created_at),
        Column(_("期間"), lambda r: r.period_label, lambda r: r.start),
        Column(_("様式"), lambda r: r.form_name or _("標準様式"), lambda r: r.form_name),
        Column(_("秘匿"), lambda r: _("あり") if r.suppressed else "", lambda r: r.suppressed),
        Column(_("作成者"), lambda r: r.created_by, lambda r: r.created_by),
        Column(_("ファイル"), lambda r: r.output_name, lambda r: r.output_name),
        Column(_("確認コード（ファイルの改ざん確認用）"), lambda r: r.output_sha256[:12],
               lambda r: r.output_sha256),
    )


class DiffModel(ColumnsModel):
    """This return's figures against the previous 年度."""

    columns = (
        Column(_("内容"), lambda r: r.description, lambda r: r.description),
        Column(_("今回"), lambda r: _num(r.current), lambda r: _sortable(r.current), _RIGHT),
        Column(_("前年度"), lambda r: _num(r.previous), lambda r: _sortable(r.previous),
               _RIGHT),
        Column(_("差"), lambda r: _diff(r.difference),
               lambda r: r.difference if r.difference is not None else 0, _RIGHT),
        Column(_("数値名"), lambda r: r.figure, lambda r: r.figure),
    )

    def background(self, row: Any) -> QBrush | None:
        """Changes stand out."""
        if row.difference is None or row.difference == 0:
            return None
        return _FELL if row.difference < 0 else _ROSE


class FigureModel(ColumnsModel):
    """The catalogue of figure names, for writing mappings."""

    columns = (
        Column(_("分類"), lambda r: r.group, lambda r: r.group),
        Column(_("数値名"), lambda r: r.name, lambda r: r.name),
        Column(_("意味"), lambda r: r.description, lambda r: r.description),
    )


def period_text(start, end) -> str:
    """``令和7年4月1日～令和8年3月31日``."""
    return f"{format_date(start)}～{format_date(end)}"
