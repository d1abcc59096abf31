"""The 台帳 table: one open case per row; overdue review dates and high 緊急度 tinted.

A large town's 台帳 lists every open case (18,000 at the benchmark's scale 100), so the
model sorts its rows itself (one Python sort on precomputed keys, not a proxy asking
``data()`` twice per comparison) and hands them to the view in pages of
:data:`PAGE_ROWS` (``fetchMore``) as the user scrolls.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.ui.table_model import _ROOT, Column, ColumnsModel, _Index

_OVERDUE = QBrush(QColor("#f8d7da"))
_HIGH = QBrush(QColor("#fff3cd"))

#: Rows handed to the view at a time.
PAGE_ROWS = 200


def _day(d) -> str:
    return format_date(d) if d else "—"


class LedgerModel(ColumnsModel):
    """Rows are ``ProgressLine``s, sorted by the model; shown a page at a time.

    A column's sort value is computed alone for each row when sorting (a whole tuple per
    row cost most of a sort of 18,000 rows on the GUI thread).
    """

    CODE, NAME, STATUS, LEAD, ORGS, LAST, REVIEW, URGENCY, FINDING = range(9)
    columns = (
        Column(_("ケース"), lambda r: r.code, lambda r: r.code),
        Column(_("氏名"), lambda r: r.name or "—", lambda r: r.name),
        Column(_("状況"), lambda r: r.status_label, lambda r: r.status),
        Column(_("主担当"), lambda r: r.lead_staff or "—", lambda r: r.lead_staff),
        Column(_("関係機関"), lambda r: "、".join(r.organizations) or "—",
               lambda r: len(r.organizations)),
        # no contact first, as "" before a date
        Column(_("最終相談日"), lambda r: _day(r.last_contact),
               lambda r: r.last_contact or date.min),
        # none scheduled last, as "9999" after one
        Column(_("見直し予定日"),
               lambda r: _day(r.next_review_on) + (_("（期限切れ）") if r.overdue else ""),
               lambda r: r.next_review_on or date.max,
               tint=lambda r: _OVERDUE if r.overdue else None),
        Column(_("緊急度"), lambda r: r.urgency_label, lambda r: r.urgency,
               tint=lambda r: _HIGH if r.urgency == "high" else None),
        Column(_("会議の所見"), lambda r: _finding(r), lambda r: r.finding),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: list[Any] = []
        self.shown = 0
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (kept in the current sort order); show the first page."""
        self.beginResetModel()
        self._source = list(rows)
        self.rows = self._sorted()
        self.shown = min(len(self.rows), PAGE_ROWS)
        self.endResetModel()

    def _sorted(self) -> list[Any]:
        rows = list(self._source)
        if 0 <= self.sort_column < len(self.columns):
            col = self.sort_column
            # Stable, from the 台帳's own order (年度, 番号): equal keys keep that order.
            rows.sort(key=self.columns[col].sort or self.columns[col].text,
                      reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row (not only those shown) by ``column``."""
        self.sort_column, self.sort_order = column, order
        # A reset, not a layout change: rows beyond those shown may move into view.
        self.beginResetModel()
        self.rows = self._sorted()
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        """Rows handed to the view so far."""
        return 0 if parent.isValid() else self.shown

    def canFetchMore(self, parent: _Index = _ROOT) -> bool:  # noqa: N802 - Qt API
        """Whether rows remain beyond those shown."""
        return not parent.isValid() and self.shown < len(self.rows)

    def fetchMore(self, parent: _Index = _ROOT) -> None:  # noqa: N802 - Qt API
        """Show the next page of rows."""
        if parent.isValid():
            return
        more = min(PAGE_ROWS, len(self.rows) - self.shown)
        if more <= 0:
            return
        self.beginInsertRows(_ROOT, self.shown, self.shown + more - 1)
        self.shown += more
        self.endInsertRows()


def _finding(row) -> str:
    if not row.finding:
        return ""
    nxt = _("　次回 {d}").format(d=format_date(row.finding_next)) if row.finding_next else ""
    return row.finding_label + nxt
