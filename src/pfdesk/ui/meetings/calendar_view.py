"""The 年度 calendar: twelve months, April first, each with its meetings and closed days."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.holiday_names import holiday_label
from pfdesk.core.i18n import N_, _, current_language
from pfdesk.core.wareki import format_year_month, weekday_ja
from pfdesk.services.meetings.calendar import fiscal_calendar

_SHORT = {  # translated when shown
    "plenary": N_("全体会"), "practitioners": N_("実務者"), "working_team": N_("庁内WT"),
    "case_conference": N_("ケース会議"), "support_meeting": N_("支援会議"), "study": N_("学習会"),
    "other": N_("その他"),
}
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _weekday(d) -> str:
    return weekday_ja(d) if current_language() == "ja" else _WEEKDAYS_EN[d.weekday()]


class FiscalCalendarView(QScrollArea):
    """Twelve month boxes; double-click a meeting to open it."""

    meeting_activated = Signal(int)

    def __init__(self, *, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setSpacing(8)
        self.setWidget(inner)
        self.boxes: list[tuple[QGroupBox, QListWidget, QLabel]] = []
        for i in range(12):
            box = QGroupBox("")
            lay = QVBoxLayout(box)
            lay.setContentsMargins(6, 4, 6, 4)
            lst = QListWidget()
            lst.setMinimumHeight(110)
            lst.itemDoubleClicked.connect(self._activated)
            closed = QLabel("")
            closed.setWordWrap(True)
            closed.setStyleSheet("color: #a33;")
            lay.addWidget(lst, 1)
            lay.addWidget(closed)
            self.grid.addWidget(box, i // 4, i % 4)
            self.boxes.append((box, lst, closed))
        self.fy: int | None = None

    def load(self, fy: int) -> None:
        """Show 年度 ``fy``."""
        self.fy = fy
        cal = fiscal_calendar(self.ctx, fy)
        for (box, lst, closed), month in zip(self.boxes, cal.months, strict=True):
            box.setTitle(format_year_month(month.year, month.month))
            lst.clear()
            for r in month.meetings:
                kind = _(_SHORT[r.body_kind]) if r.body_kind in _SHORT else ""
                text = _("{d}日（{w}）{kind} 第{n}回").format(
                    d=r.held_on.day, w=_weekday(r.held_on), kind=kind, n=r.number)
                if r.status != "held":
                    text += f"［{r.status_label}］"
                if r.warnings:
                    text = "⚠ " + text
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip("\n".join([r.title, r.date_text + " " + r.time_text, r.place,
                                           *r.warnings]))
                if r.warnings:
                    item.setBackground(QBrush(QColor("#fff1c2")))
                elif r.status == "cancelled":
                    item.setForeground(QBrush(QColor("#888888")))
                lst.addItem(item)
            if not month.meetings:
                lst.addItem(QListWidgetItem(_("（会議なし）")))
            days = [_("{d}日 {name}").format(d=d.day, name=holiday_label(name))
                    for d, name in sorted(month.closed_days.items())]
            closed.setText(_("休日: ") + "、".join(days) if days else "")
            if cal.today.year == month.year and cal.today.month == month.month:
                box.setStyleSheet("QGroupBox { font-weight: bold; }")
            else:
                box.setStyleSheet("")

    def _activated(self, item: QListWidgetItem) -> None:
        mid = item.data(Qt.ItemDataRole.UserRole)
        if mid:
            self.meeting_activated.emit(int(mid))
