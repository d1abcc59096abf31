"""The security dialogs' table model: columns given as (header, value of a row)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt

from pfdesk.ui.table_model import SORT_ROLE
from pfdesk.ui.table_model import RowsModel as BaseRowsModel

#: (header, value of a row) per column.
Column = tuple[str, Callable[[Any], Any]]


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class RowsModel(BaseRowsModel):
    """Shows ``rows`` with ``columns``; ``set_rows`` resets it; the sort role gives native values."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)

    def cell(self, row: Any, column: int, role: int) -> Any:
        """Text for display, native values for sorting."""
        value = self.columns[column][1](row)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(value)
        if role == SORT_ROLE:
            return value if isinstance(value, (int, float, str)) else _display(value)
        return None
