"""The security dialogs' table model: columns given as (header, value of a row).

Each pair becomes a :class:`~pfdesk.ui.table_model.Column` of the one base: the value
shown as text (dates and times as written in the logs, ○ for a yes), sorted by its native
value, numbers right-aligned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt

from pfdesk.ui.table_model import Column, ColumnsModel

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def value_column(header: str, value: Callable[[Any], Any]) -> Column:
    """A column showing ``value`` of a row as text, sorted by the value itself."""
    return Column(
        header, lambda r: _display(value(r)),
        lambda r: v if isinstance(v := value(r), int | float | str) else _display(v),
        lambda r: _RIGHT if _is_number(value(r)) else _LEFT)


class RowsModel(ColumnsModel):
    """Shows ``rows`` with ``columns``; ``set_rows`` resets it; the sort role gives native values."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], Any]]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = [value_column(header, value) for header, value in columns]
