"""Layout of the case screen's record tabs: 本人, 経過, つなぎ, 同意 and タイムライン.

Widgets only: no service is called here and no signal is connected to behaviour; the
controllers in :mod:`pfdesk.ui.consultations.case_tabs` load them and act on them.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _

#: The rows of the 本人 tab: key and label.
PERSON_ROWS = (
    ("name", _("氏名")), ("kana", _("ふりがな")), ("sex", _("性別")),
    ("birth", _("生年月日・年代")), ("address", _("住所")), ("phone", _("連絡先")),
    ("household", _("同居家族")), ("work", _("就労・就学状況")),
    ("school", _("学校・勤務先")), ("onset", _("状態の開始時期")),
    ("intake", _("受付")), ("route", _("相談経路")), ("chief", _("主訴")),
    ("issues", _("課題")), ("triggers", _("きっかけ")), ("policy", _("支援方針")),
    ("goal", _("目標")), ("history", _("状況の履歴")),
)


def record_table(model: QAbstractItemModel) -> QTableView:
    """A read-only table of one record per row, one row selected at a time."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def fit_columns(view: QTableView, widest: int = 260) -> None:
    """Columns sized to their contents, none wider than ``widest``, then left to the user."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for i in range(view.model().columnCount() - 1):
        header.resizeSection(i, min(header.sectionSize(i), widest))
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons side by side from the left."""
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class PersonTabView(QWidget):
    """本人: one selectable label per row of :data:`PERSON_ROWS`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.fields: dict[str, QLabel] = {}
        for key, label in PERSON_ROWS:
            lab = QLabel("")
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = lab
            form.addRow(label, lab)


class RecordsTabView(QWidget):
    """A row of buttons over a table of records (つなぎ, 同意)."""

    def __init__(self, model: QAbstractItemModel, buttons: tuple[str, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = record_table(model)
        self.buttons = [QPushButton(text) for text in buttons]
        lay = QVBoxLayout(self)
        lay.addLayout(button_row(*self.buttons))
        lay.addWidget(self.view, 1)


class ContactsTabView(QWidget):
    """経過: 修正 and 取消 over the contacts, the selected one's whole text below."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = record_table(model)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(_("行を選ぶと内容の全文をここに表示します。"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.text)
        split.setSizes([300, 120])
        self.edit_button = QPushButton(_("選んだ記録を修正"))
        self.void_button = QPushButton(_("選んだ記録を取消"))
        lay = QVBoxLayout(self)
        lay.addLayout(button_row(self.edit_button, self.void_button))
        lay.addWidget(split, 1)


class TimelineView(QTableView):
    """タイムライン: every event of the case, rows as tall as their text."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        # A case has tens of entries, not thousands: rows show their whole text.
        self.setWordWrap(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
