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
from pfdesk.ui.table_model import _ROOT, SORT_ROLE, RowsModel, _Index

_OVERDUE = QBrush(QColor("#f8d7da"))
_HIGH = QBrush(QColor("#fff3cd"))

#: Rows handed to the view at a time.
PAGE_ROWS = 200


def _day(d) -> str:
    return format_date(d) if d else "—"


def _sort_value(row, column: int):
    return (row.code, row.name, row.status, row.lead_staff, len(row.organizations),
            row.last_contact.isoformat() if row.last_contact else "",
            row.next_review_on.isoformat() if row.next_review_on else "9999",
            row.urgency, row.finding)[column]


#: Per column, a sort key ordering rows as :func:`_sort_value` does, computed alone (the
#: whole tuple per row cost most of a sort of 18,000 rows on the GUI thread).
_SORT_KEYS = (
    lambda r: r.code, lambda r: r.name, lambda r: r.status, lambda r: r.lead_staff,
    lambda r: len(r.organizations),
    lambda r: r.last_contact or date.min,  # no contact first, as "" before a date
    lambda r: r.next_review_on or date.max,  # none scheduled last, as "9999" after one
    lambda r: r.urgency, lambda r: r.finding,
)


class LedgerModel(RowsModel):
    """Rows are ``ProgressLine``s, sorted by the model; shown a page at a time."""

    CODE, NAME, STATUS, LEAD, ORGS, LAST, REVIEW, URGENCY, FINDING = range(9)
    columns = ((_("ケース"),), (_("氏名"),), (_("状況"),), (_("主担当"),), (_("関係機関"),),
               (_("最終相談日"),), (_("見直し予定日"),), (_("緊急度"),), (_("会議の所見"),))

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
            rows.sort(key=_SORT_KEYS[col],
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

    def cell(self, row, column: int, role: int) -> Any:
        """Text, sort value and tint of one cell."""
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.code, row.name or "—", row.status_label, row.lead_staff or "—",
                    "、".join(row.organizations) or "—", _day(row.last_contact),
                    _day(row.next_review_on) + (_("（期限切れ）") if row.overdue else ""),
                    row.urgency_label, _finding(row))[column]
        if role == SORT_ROLE:
            return _sort_value(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == self.REVIEW and row.overdue:
                return _OVERDUE
            if column == self.URGENCY and row.urgency == "high":
                return _HIGH
        return None


def _finding(row) -> str:
    if not row.finding:
        return ""
    nxt = _("　次回 {d}").format(d=format_date(row.finding_next)) if row.finding_next else ""
    return row.finding_label + nxt
