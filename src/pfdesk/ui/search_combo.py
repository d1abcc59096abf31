"""A drop-down for long lists that finds its entry as one types (つなぎ先, 機関 …).

Typing any part of the name or of its reading narrows the list, folded the way every
search in pfdesk is (全角/半角, カタカナ/ひらがな, 異体字): 「ひだまり」 finds
「NPO法人ひだまり」 and 「ﾊﾛｰﾜｰｸ」 finds 「ハローワーク」. Choosing a line selects that
entry; text that names no entry is put back to the chosen one when the field is left.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from pfdesk.core.kana import matches

#: Item data role holding an entry's reading (ふりがな), searched with its text.
READING_ROLE = Qt.ItemDataRole.UserRole + 7


class _FoldedFilter(QSortFilterProxyModel):
    """Rows whose text or reading contains every typed term, folded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.query = ""

    def set_query(self, text: str) -> None:
        # Qt 6.9 replaced invalidateFilter() with a begin/end pair.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self.query = text
            self.endFilterChange()
        else:
            self.query = text
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int,  # noqa: N802 - Qt API
                         parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        return matches(self.query, index.data(), index.data(READING_ROLE))


class SearchableCombo(QComboBox):
    """A QComboBox whose entries are found by typing part of the name or reading."""

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.filter = _FoldedFilter(self)
        self.filter.setSourceModel(self.model())
        completer = QCompleter(self.filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        self.completer_ = completer
        edit = self.lineEdit()
        assert edit is not None  # editable: Qt made the line edit
        if placeholder:
            edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._narrow)
        edit.editingFinished.connect(self._settle)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        """Entering the field selects its text, so what is typed replaces the choice."""
        super().focusInEvent(event)
        edit = self.lineEdit()
        if edit is not None:
            # After the click that gave the focus has placed the cursor.
            QTimer.singleShot(0, edit, edit.selectAll)

    def add_entry(self, text: str, data=None, reading: str = "") -> None:
        """Add an entry with its item data and reading."""
        self.addItem(text, data)
        self.setItemData(self.count() - 1, reading, READING_ROLE)

    def _narrow(self, text: str) -> None:
        self.filter.set_query(text)
        if self.filter.rowCount():
            self.completer_.complete()
        else:
            popup = self.completer_.popup()
            if popup is not None:
                popup.hide()

    def matching(self) -> list[str]:
        """The entries the typed text narrows the list to."""
        return [self.filter.index(r, 0).data() for r in range(self.filter.rowCount())]

    def _settle(self) -> None:
        """Leaving the field: exactly one match is chosen; no match restores the choice."""
        text = self.currentText()
        exact = self.findText(text, Qt.MatchFlag.MatchExactly)
        if exact >= 0:
            if exact != self.currentIndex():
                self.setCurrentIndex(exact)
            return
        found = self.matching() if self.filter.query == text else []
        if len(found) == 1:
            self.setCurrentIndex(self.findText(found[0], Qt.MatchFlag.MatchExactly))
        else:
            self.setEditText(self.itemText(self.currentIndex()))


__all__ = ["READING_ROLE", "SearchableCombo"]
