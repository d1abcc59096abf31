"""The 年度 calendar: twelve month grids, April first, with 祝日, closed days and meetings.

Each month is a :class:`MonthGrid` (Sunday to Saturday, as a Japanese wall calendar):
Sundays and 祝日 in red, Saturdays in blue, closed days (年末年始, 町の休日) shaded, today
outlined, and each meeting as a small chip on its day (amber when the day is a closed day,
grey when cancelled). Hover shows the day's holiday and meetings; a click selects a day,
a double click or Enter opens its meeting (a menu when there are several).
"""

from __future__ import annotations

import calendar as pycal
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.holiday_names import holiday_label
from pfdesk.core.i18n import N_, _, current_language
from pfdesk.core.wareki import format_year_month, weekday_ja
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings.calendar import fiscal_calendar
from pfdesk.ui import theme

_SHORT = {  # translated when shown
    "plenary": N_("全体会"), "practitioners": N_("実務者"), "working_team": N_("庁内WT"),
    "case_conference": N_("ケース"), "support_meeting": N_("支援会議"), "study": N_("学習会"),
    "other": N_("会議"),
}
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Sunday first, as Japanese wall calendars.
_ORDER = (6, 0, 1, 2, 3, 4, 5)
_RED, _BLUE = "#b3261e", "#1d4ed8"
_CLOSED_BG = "#fbeaea"
_CHIP = {"planned": (theme.ACCENT_LIGHT, theme.ACCENT_DARK), "held": ("#e5e7eb", "#374151"),
         "cancelled": ("#f3f4f6", "#9ca3af"), "warning": ("#ffe7b3", "#7a4b00")}


def _weekday(d: date) -> str:
    return weekday_ja(d) if current_language() == "ja" else _WEEKDAYS_EN[d.weekday()]


def short_kind(kind: str) -> str:
    """The short name of a body kind shown on a day (全体会, 実務者 …)."""
    return _(_SHORT.get(kind, _SHORT["other"]))


class MonthGrid(QWidget):
    """One month, Sunday to Saturday; ``meeting_activated`` gives the id of an opened meeting."""

    meeting_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year, self.month = 2000, 1
        self.today: date | None = None
        self.closed: dict[date, str] = {}
        self.meetings: dict[date, list] = {}
        self.selected: date | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_month(self, year: int, month: int, closed: dict[date, str], meetings: list,
                  today: date) -> None:
        """Show ``year``/``month`` with its closed days and meetings (MeetingRow, by date)."""
        self.year, self.month, self.today = year, month, today
        self.closed = dict(closed)
        self.meetings = {}
        for r in meetings:
            self.meetings.setdefault(r.held_on, []).append(r)
        self.selected = None
        self.updateGeometry()
        self.update()

    # -- geometry -----------------------------------------------------------------------------

    def weeks(self) -> list[list[date | None]]:
        """The month's weeks, Sunday first; None outside the month."""
        cal = pycal.Calendar(firstweekday=6)
        return [[d if d.month == self.month else None for d in week]
                for week in cal.monthdatescalendar(self.year, self.month)]

    def _row_height(self) -> int:
        return self.fontMetrics().height() * 2 + 8

    def _head_height(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Seven columns wide enough for a chip, six weeks high."""
        fm = self.fontMetrics()
        cell = max(44, fm.horizontalAdvance(_("支援会議")) + 12)
        return QSize(cell * 7, self._head_height() + self._row_height() * 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As narrow as a day number and a short chip allow."""
        hint = self.sizeHint()
        return QSize(max(7 * 36, hint.width() * 3 // 4), hint.height())

    def cell_rect(self, d: date) -> QRect:
        """Where day ``d`` is drawn (an empty rectangle when not in this month)."""
        w = self.width() / 7
        for row, week in enumerate(self.weeks()):
            if d in week:
                col = week.index(d)
                return QRect(round(col * w), self._head_height() + row * self._row_height(),
                             round(w), self._row_height())
        return QRect()

    def day_at(self, pos: QPoint) -> date | None:
        """The day under ``pos``."""
        if pos.y() < self._head_height() or self.width() <= 0:
            return None
        row = (pos.y() - self._head_height()) // self._row_height()
        col = int(pos.x() // (self.width() / 7))
        weeks = self.weeks()
        if 0 <= row < len(weeks) and 0 <= col < 7:
            return weeks[row][col]
        return None

    # -- what a day says ----------------------------------------------------------------------

    def chip_text(self, d: date) -> str:
        """What the day's chip says: the kind, or how many meetings."""
        rows = self.meetings.get(d, [])
        if not rows:
            return ""
        text = short_kind(rows[0].body_kind) if len(rows) == 1 else _("{n}件").format(n=len(rows))
        # ⚠: planned on a closed day, as in the meeting list.
        return ("⚠" + text) if any(r.warnings for r in rows) else text

    def day_text(self, d: date) -> str:
        """The tooltip of day ``d``: date, closed-day name, meetings."""
        lines = [_("{m}月{d}日（{w}）").format(m=d.month, d=d.day, w=_weekday(d))]
        if d in self.closed:
            lines[0] += "　" + holiday_label(self.closed[d])
        for r in self.meetings.get(d, []):
            status = "" if r.status == "held" else f"［{r.status_label}］"
            lines.append(f"・{r.title} {r.time_text} {r.place}{status}".rstrip())
            lines += [f"　⚠ {w}" for w in r.warnings]
        return "\n".join(lines)

    # -- drawing ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """Weekday heads, days, closed days shaded, today outlined, meeting chips."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(theme.SURFACE))
        w = self.width() / 7
        head = self._head_height()
        base = QFont(self.font())
        for col, wd in enumerate(_ORDER):
            colour = _RED if wd == 6 else _BLUE if wd == 5 else theme.MUTED
            p.setPen(QColor(colour))
            label = weekday_ja(date(2024, 1, 1 + wd)) if current_language() == "ja" \
                else _WEEKDAYS_EN[wd]
            p.drawText(QRectF(col * w, 0, w, head), Qt.AlignmentFlag.AlignCenter, label)
        p.setPen(QPen(QColor(theme.LINE)))
        p.drawLine(0, head - 1, self.width(), head - 1)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.82)
        for week in self.weeks():
            for d in week:
                if d is not None:
                    self._paint_day(p, d, base, small)
        p.end()

    def _paint_day(self, p: QPainter, d: date, base: QFont, small: QFont) -> None:
        r = self.cell_rect(d)
        if d in self.closed:
            p.fillRect(r.adjusted(1, 1, -1, -1), QColor(_CLOSED_BG))
        if d == self.selected:
            p.fillRect(r.adjusted(1, 1, -1, -1), QColor("#cfe6de"))
        red = d in self.closed or d.weekday() == 6
        p.setFont(base)
        p.setPen(QColor(_RED if red else _BLUE if d.weekday() == 5 else theme.INK))
        fm = self.fontMetrics()
        p.drawText(r.adjusted(4, 2, -4, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                   str(d.day))
        if d == self.today:
            p.setPen(QPen(QColor(theme.ACCENT), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(r.adjusted(2, 2, -2, -2)), 4, 4)
        text = self.chip_text(d)
        if not text:
            return
        rows = self.meetings[d]
        tone = ("warning" if any(x.warnings for x in rows)
                else "planned" if any(x.status == "planned" for x in rows)
                else "held" if any(x.status == "held" for x in rows) else "cancelled")
        bg, ink = _CHIP[tone]
        chip_h = fm.height() + 2
        chip = QRectF(r.x() + 3, r.bottom() - chip_h - 3, r.width() - 6, chip_h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(bg))
        p.drawRoundedRect(chip, 4, 4)
        p.setFont(small)
        p.setPen(QColor(ink))
        p.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)

    # -- interaction --------------------------------------------------------------------------

    def event(self, e: QEvent) -> bool:
        """The day's tooltip."""
        if e.type() == QEvent.Type.ToolTip:
            d = self.day_at(e.pos())  # type: ignore[attr-defined]
            if d is not None:
                QToolTip.showText(e.globalPos(), self.day_text(d), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """Select the day clicked."""
        d = self.day_at(e.position().toPoint())
        if d is not None:
            self.selected = d
            self.update()

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """Open the day's meeting."""
        d = self.day_at(e.position().toPoint())
        if d is not None:
            self.selected = d
            self.open_day(d, e.globalPosition().toPoint())

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Arrows move the selected day; Enter opens its meeting."""
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7,
                 Qt.Key.Key_Down: 7}
        if e.key() in steps:
            days = [d for week in self.weeks() for d in week if d is not None]
            cur = self.selected or (self.today if self.today in days else days[0])
            i = min(max(0, days.index(cur) + steps[Qt.Key(e.key())]), len(days) - 1)
            self.selected = days[i]
            self.update()
        elif e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected:
            self.open_day(self.selected, self.mapToGlobal(self.cell_rect(self.selected).center()))
        else:
            super().keyPressEvent(e)

    def open_day(self, d: date, at: QPoint) -> None:
        """Open the meeting of ``d``; a menu chooses when there are several."""
        rows = self.meetings.get(d, [])
        if len(rows) == 1:
            self.meeting_activated.emit(rows[0].id)
        elif rows:
            menu = QMenu(self)
            for r in rows:
                act = menu.addAction(f"{r.title} {r.time_text}".strip())
                act.triggered.connect(lambda _c=False, mid=r.id: self.meeting_activated.emit(mid))
            menu.popup(at)


class FiscalCalendarView(QScrollArea):
    """Twelve month grids, April first; double-click a day with a meeting to open it."""

    meeting_activated = Signal(int)

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setSpacing(14)
        self.setWidget(inner)
        self.months: list[tuple[QLabel, MonthGrid, QLabel]] = []
        for i in range(12):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            title = QLabel("")
            theme.set_role(title, "section")
            grid = MonthGrid()
            grid.meeting_activated.connect(self.meeting_activated)
            closed = QLabel("")
            closed.setWordWrap(True)
            closed.setStyleSheet(f"color: {_RED};")
            lay.addWidget(title)
            lay.addWidget(grid)
            lay.addWidget(closed)
            lay.addStretch(1)
            self.grid.addWidget(box, i // 3, i % 3)
            self.months.append((title, grid, closed))
        legend = QLabel(_("赤い日付は日曜・祝日、薄い赤は年末年始・町の休日、枠は今日です。"
                          "会議のある日をダブルクリック（または Enter）で会議を開きます。"
                          "黄色の会議は閉庁日に予定されています。"))
        legend.setWordWrap(True)
        theme.set_role(legend, "muted")
        self.grid.addWidget(legend, 4, 0, 1, 3)
        self.fy: int | None = None
        self._stale = False

    def load(self, fy: int) -> None:
        """Show 年度 ``fy``: now if the calendar is on screen, else when it is next shown.

        The 会議 page reloads its lists on every visit; the twelve months (every day's
        祝日 and the 年度's meetings) are read only when someone looks at them.
        """
        self.fy = fy
        self._stale = True
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        self.ensure_loaded()
        super().showEvent(event)

    def ensure_loaded(self) -> None:
        """Read the 年度 asked for by :meth:`load` if it is not shown yet."""
        if not self._stale or self.fy is None:
            return
        self._stale = False
        cal = fiscal_calendar(self.ctx, self.fy)
        for (title, grid, closed), month in zip(self.months, cal.months, strict=True):
            title.setText(format_year_month(month.year, month.month))
            grid.set_month(month.year, month.month, month.closed_days, month.meetings, cal.today)
            days = [_("{d}日 {name}").format(d=d.day, name=holiday_label(name))
                    for d, name in sorted(month.closed_days.items())]
            closed.setText(_("休日: ") + "、".join(days) if days else "")

    def month(self, year: int, month: int) -> MonthGrid:
        """The grid of ``year``/``month``."""
        self.ensure_loaded()
        for _t, grid, _c in self.months:
            if (grid.year, grid.month) == (year, month):
                return grid
        raise KeyError((year, month))
