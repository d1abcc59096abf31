"""The one base of pfdesk's table models: frozen dataclass rows shown through columns.

Every table of the window describes its columns once (:class:`Column`: header, the text
shown, the native sort value, alignment, an optional tint) in a :class:`ColumnsModel`;
rows, counts, headers, the reset on reload, muted rows, highlighted rows and tooltips are
the same everywhere. A test walks ``pfdesk.ui`` so a new table cannot bypass it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

#: Role giving a cell's native value, for sorting through a proxy.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Column(NamedTuple):
    """One column described once.

    ``text`` is what the cell shows; ``sort`` its native sort value (None: the text);
    ``align`` a fixed alignment or one chosen per row; ``tint`` an optional background of
    this column's cell (an overdue date, a high 緊急度).
    """

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag | Callable[[Any], Qt.AlignmentFlag] = _LEFT
    tint: Callable[[Any], Any] | None = None


def number_column(header: str, value: Callable[[Any], Any],
                  text: Callable[[Any], str] | None = None) -> Column:
    """A right-aligned column of counts: blank for zero unless ``text`` says otherwise."""
    return Column(header, text or (lambda r: f"{value(r):,}" if value(r) else ""), value, _RIGHT)


class ColumnsModel(QAbstractTableModel):
    """One frozen dataclass per row, shown through :class:`Column` descriptions.

    A subclass lists its ``columns`` and, where the table needs them, says which rows are
    muted (:meth:`foreground`), highlighted (:meth:`background`) or explained
    (:meth:`tooltip`); a role of its own goes in an override of :meth:`cell`.
    """

    columns: Sequence[Column] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The dataclass shown in ``row``."""
        return self.rows[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by the column's sort value in Python (stable), keeping the selection.

        Behind a :class:`SortInSource` proxy: a sorting proxy asks ``data()`` twice per
        comparison, 100,000 calls through Qt for a few thousand rows.
        """
        if not 0 <= column < len(self.columns):
            return
        order_of = self.sorted_rows(column, order)
        self.layoutAboutToBeChanged.emit()
        new_row = {old: new for new, old in enumerate(order_of)}
        self.rows = [self.rows[i] for i in order_of]
        self.rows_moved()
        before = self.persistentIndexList()
        self.changePersistentIndexList(
            before, [self.index(new_row[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()

    def rows_moved(self) -> None:
        """The rows were put in a new order (for a subclass that remembers cells by row)."""

    def sorted_rows(self, column: int, order: Qt.SortOrder) -> list[int]:
        """The rows' positions in the column's order; blank values last either way."""
        col = self.columns[column]
        keys = list(map(col.sort or col.text, self.rows))
        filled = [i for i, v in enumerate(keys) if v is not None and v != ""]
        descending = order == Qt.SortOrder.DescendingOrder
        try:
            filled.sort(key=keys.__getitem__, reverse=descending)
        except TypeError:  # values of different kinds in one column: as the text shows them
            filled.sort(key=lambda i: str(keys[i]), reverse=descending)
        return filled + [i for i, v in enumerate(keys) if v is None or v == ""]

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        """Rows (none under a parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        """Columns."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column headers."""
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return self.columns[section].header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What :meth:`cell` gives for a row that exists; None elsewhere."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.cell(self.rows[index.row()], index.column(), role)

    def cell(self, row: Any, column: int, role: int) -> Any:
        """The column's text, sort value, alignment and tint; the row's colours and tooltip."""
        col = self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == SORT_ROLE:
            return col.sort(row) if col.sort is not None else col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = col.align if isinstance(col.align, Qt.AlignmentFlag) else col.align(row)
            return int(align)
        if role == Qt.ItemDataRole.BackgroundRole:
            tinted = col.tint(row) if col.tint is not None else None
            return tinted if tinted is not None else self.background(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row)
        return None

    def foreground(self, row: Any) -> Any:
        """A brush for a row shown muted (取消, 退任, 廃止); None for a normal row."""
        return None

    def background(self, row: Any) -> Any:
        """A brush for a row that needs attention; None for a normal row."""
        return None

    def tooltip(self, row: Any) -> str | None:
        """A tooltip for the row; None for none."""
        return None


class SortInSource(QSortFilterProxyModel):
    """A proxy that filters as usual but hands sorting to its source model's ``sort``."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source (the proxy keeps its order)."""
        self.sourceModel().sort(column, order)
