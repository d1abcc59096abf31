"""The 年度 calendar as month grids: 祝日 and closed days marked, meetings on their days."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from pfdesk.services.meetings.meetings import list_meetings
from pfdesk.ui.meetings.calendar_view import FiscalCalendarView, MonthGrid


@pytest.fixture
def view(qtbot, demo_ctx) -> FiscalCalendarView:
    v = FiscalCalendarView(ctx=demo_ctx)
    qtbot.addWidget(v)
    v.resize(1150, 600)
    v.load(2026)
    v.show()
    return v


def test_twelve_month_grids_from_april_sunday_first(view):
    assert [t.text() for t, _g, _c in view.months][:2] == ["令和8年4月", "令和8年5月"]
    assert view.months[-1][0].text() == "令和9年3月"
    may = view.month(2026, 5)
    weeks = may.weeks()
    assert weeks[0][0] is None and weeks[0][5] == date(2026, 5, 1)  # 1 May 2026 is a Friday
    assert all(w[0] is None or w[0].weekday() == 6 for w in weeks)  # Sunday first


def test_holidays_are_named_and_shaded(view):
    may = view.month(2026, 5)
    assert "憲法記念日" in may.day_text(date(2026, 5, 3))
    assert "憲法記念日" in view.months[1][2].text()  # the month's 休日 line
    image = may.grab().toImage()
    cell = may.cell_rect(date(2026, 5, 6))  # 振替休日 (a Wednesday)
    inside = image.pixelColor(cell.center().x(), cell.bottom() - 4).name()
    plain = may.cell_rect(date(2026, 5, 13))
    assert inside == "#fbeaea"
    assert image.pixelColor(plain.center().x(), plain.bottom() - 4).name() != inside


def test_a_meeting_sits_on_its_day_and_opens_with_a_double_click(qtbot, view, demo_ctx):
    row = next(r for r in list_meetings(demo_ctx, fy=2026)
               if len([x for x in list_meetings(demo_ctx, fy=2026)
                       if x.held_on == r.held_on]) == 1)
    grid: MonthGrid = view.month(row.held_on.year, row.held_on.month)
    view.ensureWidgetVisible(grid)
    assert grid.chip_text(row.held_on)
    assert row.title in grid.day_text(row.held_on)
    with qtbot.waitSignal(view.meeting_activated) as sig:
        qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton,
                          pos=grid.cell_rect(row.held_on).center())
    assert sig.args == [row.id]
    # The keyboard does the same: the selected day opens with Enter.
    grid.setFocus()
    with qtbot.waitSignal(view.meeting_activated) as sig:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert sig.args == [row.id]


def test_a_meeting_on_a_closed_day_is_flagged(view):
    feb = view.month(2027, 2)
    assert feb.chip_text(date(2027, 2, 11)).startswith("⚠")  # 建国記念の日
    assert "建国記念の日" in feb.day_text(date(2027, 2, 11))
