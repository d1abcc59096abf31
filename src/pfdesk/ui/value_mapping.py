"""The value table of an import: one line per distinct value of a coded column, editable.

Shows the column, the value as the file writes it, how many rows hold it, the code chosen
and how it was found. The 区分 cell is a drop-down of the column's codes; a value without
one is shown red and keeps the import closed until it is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QTableView, QWidget

from pfdesk.core.i18n import _
from pfdesk.core.tabular.values import HOW_LABELS, Option, ValueRow, ValueTable
from pfdesk.ui.table_model import Column, ColumnsModel, number_column

_OPEN = QBrush(QColor("#fde2e1"))
_CHOSEN = QBrush(QColor("#e2efda"))
#: Role giving the options of a row's column, for the drop-down.
OPTIONS_ROLE = Qt.ItemDataRole.UserRole + 5


@dataclass(frozen=True)
class ValueLine:
    """One line of the table: the column it belongs to and one distinct value."""

    key: str
    header: str
    value: ValueRow
    label: str  # the chosen code's label ("" when open)
    options: tuple[Option, ...]


def lines_of(tables: list[ValueTable]) -> list[ValueLine]:
    """The lines of several value tables, unresolved values first."""
    out = [ValueLine(t.key, t.header, r, t.label(r.code) if r.code else "", t.options)
           for t in tables for r in t.rows]
    return sorted(out, key=lambda line: line.value.resolved)


class ValueTableModel(ColumnsModel):
    """Distinct values and their codes; the 区分 column is editable."""

    COLUMN, VALUE, COUNT, CODE, HOW = range(5)
    columns = (
        Column(_("列"), lambda line: line.header),
        Column(_("ファイルの値"), lambda line: line.value.text),
        number_column(_("行数"), lambda line: line.value.count,
                      lambda line: str(line.value.count)),
        Column(_("対応する区分"), lambda line: line.label or _("（選んでください）")),
        Column(_("決め方"), lambda line: HOW_LABELS.get(line.value.how, "")),
    )
    #: A code was chosen for (column key, value).
    chosen = Signal(str, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choices: dict[str, dict[str, str]] = {}

    def set_tables(self, tables: list[ValueTable]) -> None:
        """Show these tables."""
        self.set_rows(lines_of(tables))

    @property
    def open_count(self) -> int:
        """Values still without a code."""
        return sum(1 for line in self.rows if not line.value.resolved)

    def background(self, row: ValueLine) -> QBrush | None:
        """Red while a value has no code; green once one was chosen by hand."""
        if not row.value.resolved:
            return _OPEN
        return _CHOSEN if row.value.how == "chosen" else None

    def cell(self, row: ValueLine, column: int, role: int) -> Any:
        """The columns' cells; the code being edited and the drop-down's options."""
        if role == Qt.ItemDataRole.EditRole and column == self.CODE:
            return row.value.code or ""
        if role == OPTIONS_ROLE:
            return row.options
        return super().cell(row, column, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """The 区分 column can be edited."""
        base = super().flags(index)
        if index.isValid() and index.column() == self.CODE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Choose the code ``value`` for a value."""
        if role != Qt.ItemDataRole.EditRole or index.column() != self.CODE:
            return False
        line: ValueLine = self.rows[index.row()]
        option = next((o for o in line.options if o.code == value), None)
        if option is None:
            return False
        self.choices.setdefault(line.key, {})[line.value.text] = option.code
        new_value = ValueRow(line.value.text, line.value.count, option.code, "chosen",
                             line.value.rows)
        self.rows[index.row()] = ValueLine(line.key, line.header, new_value, option.display,
                                           line.options)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.HOW))
        self.chosen.emit(line.key, line.value.text, option.code)
        return True


class ValueChoiceDelegate(QStyledItemDelegate):
    """Edits a value's 区分 with a drop-down of its column's codes."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        """A combo box of the codes."""
        box = QComboBox(parent)
        for opt in index.data(OPTIONS_ROLE) or ():
            box.addItem(opt.display, opt.code)
        return box

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        """Select the current code."""
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt API
        """Store the chosen code."""
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def value_table_view(model: ValueTableModel, parent: QWidget | None = None) -> QTableView:
    """A table view over ``model`` with the drop-down in the 区分 column."""
    view = QTableView(parent)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setItemDelegateForColumn(ValueTableModel.CODE, ValueChoiceDelegate(view))
    view.setEditTriggers(QTableView.EditTrigger.AllEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    return view
