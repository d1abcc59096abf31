"""町の休日: closed days the holiday library does not know, added by hand for the warnings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import calendar
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine


class ExtraHolidaysDialog(QDialog):
    """List, add and remove the town's own closed days."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("町の休日の登録"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        info = QLabel(_("祝日と年末年始（12月29日～1月3日）は自動で判定します。"
                        "それ以外に庁舎が閉まる日（町の休日、庁舎点検日など）をここに登録すると、"
                        "会議の日付を決めるときに注意が表示されます。"))
        info.setWordWrap(True)
        layout.addWidget(info)
        self.list = QListWidget()
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.day = DateLine(_("日付"), required=True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("名称（例: 庁舎電気設備点検）"))
        self.add_btn = QPushButton(_("追加"))
        self.remove_btn = QPushButton(_("選んだ日を削除"))
        row.addWidget(self.day, 1)
        row.addWidget(self.name, 1)
        row.addWidget(self.add_btn)
        layout.addLayout(row)
        layout.addWidget(self.remove_btn)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("閉じる"))
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        writable = ctx.actor.can(Permission.MEETING_WRITE)
        for w in (self.add_btn, self.remove_btn, self.day, self.name):
            w.setEnabled(writable)
        self.add_btn.clicked.connect(self.add)
        self.remove_btn.clicked.connect(self.remove)
        self.load()

    def load(self) -> None:
        """Show the registered days."""
        self.list.clear()
        for h in calendar.list_extra_holidays(self.ctx):
            item = QListWidgetItem(f"{format_date(h.day, weekday=True)}　{h.name}")
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.list.addItem(item)

    def add(self) -> None:
        """Register the typed day."""
        try:
            day = self.day.value()
            if day is None:
                raise ValidationError(_("日付を入力してください。"))
            calendar.add_extra_holiday(self.ctx, day, self.name.text())
        except KnownError as e:
            show_error(self, e)
            return
        self.day.clear()
        self.name.clear()
        self.load()

    def remove(self) -> None:
        """Remove the selected day."""
        item = self.list.currentItem()
        if item is None:
            return
        try:
            calendar.remove_extra_holiday(self.ctx, item.data(Qt.ItemDataRole.UserRole))
        except KnownError as e:
            show_error(self, e)
        self.load()
