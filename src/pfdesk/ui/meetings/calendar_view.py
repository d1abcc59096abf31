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

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_year_month, weekday_ja
from pfdesk.services.meetings.calendar import fiscal_calendar

_SHORT = {
    "plenary": "全体会", "practitioners": "実務者", "working_team": "庁内WT",
    "case_conference": "ケース会議", "support_meeting": "支援会議", "study": "学習会",
    "other": "その他",
}


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
                text = f"{r.held_on.day}日（{weekday_ja(r.held_on)}）{_SHORT.get(r.body_kind, '')}" \
                       f" 第{r.number}回"
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
            days = [f"{d.day}日 {name}" for d, name in sorted(month.closed_days.items())]
            closed.setText(_("休日: ") + "、".join(days) if days else "")
            if cal.today.year == month.year and cal.today.month == month.month:
                box.setStyleSheet("QGroupBox { font-weight: bold; }")
            else:
                box.setStyleSheet("")

    def _activated(self, item: QListWidgetItem) -> None:
        mid = item.data(Qt.ItemDataRole.UserRole)
        if mid:
            self.meeting_activated.emit(int(mid))
