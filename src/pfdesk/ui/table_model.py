"""The base of the thin read-only table models: a list of frozen dataclass rows.

Rows, row and column counts, headers and the reset on reload are the same in every area;
a subclass says only what a cell gives for a role, in :meth:`RowsModel.cell`, or describes
its columns once (:class:`Column`: header, text, sort value, alignment) in a
:class:`ColumnsModel`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

#: Role giving a cell's native value, for sorting through a proxy.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RowsModel(QAbstractTableModel):
    """One frozen dataclass per row; ``columns`` items start with their header text."""

    columns: Sequence[Sequence[Any]] = ()

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
            return self.columns[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What :meth:`cell` gives for a row that exists; None elsewhere."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.cell(self.rows[index.row()], index.column(), role)

    def cell(self, row: Any, column: int, role: int) -> Any:
        """What column ``column`` of ``row`` gives for ``role`` (None: nothing)."""
        return None


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Column(NamedTuple):
    """One column described once: header, the text shown, the native sort value, alignment."""

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any]
    align: Qt.AlignmentFlag = _LEFT


def number_column(header: str, value: Callable[[Any], Any],
                  text: Callable[[Any], str] | None = None) -> Column:
    """A right-aligned column of counts: blank for zero unless ``text`` says otherwise."""
    return Column(header, text or (lambda r: f"{value(r):,}" if value(r) else ""), value, _RIGHT)


class ColumnsModel(RowsModel):
    """Rows shown through :class:`Column` descriptions (text, sort value and alignment)."""

    columns: Sequence[Column] = ()

    def cell(self, row: Any, column: int, role: int) -> Any:
        """The column's text, sort value (:data:`SORT_ROLE`) and alignment."""
        col = self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == SORT_ROLE:
            return col.sort(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        return None
