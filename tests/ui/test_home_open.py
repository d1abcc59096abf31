"""ホーム: one click on a listed meeting, 宿題事項 or case opens that record."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pfdesk.ui.home import OPEN_ROLE
from pfdesk.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_ctx):
    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=10_000):
        w.start()
    return w


def _click(listw, row: int) -> None:
    item = listw.item(row)
    listw.scrollToItem(item)
    QTest.mouseClick(listw.viewport(), Qt.MouseButton.LeftButton,
                     pos=listw.visualItemRect(item).center())


def _first_openable(listw) -> int:
    return next(i for i in range(listw.count()) if listw.item(i).data(OPEN_ROLE))


pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_click_on_an_upcoming_meeting_opens_it(window):
    home = window.page(0)
    row = _first_openable(home.upcoming)
    meeting_id = home.summary.upcoming[row].meeting_id
    _click(home.upcoming, row)
    meetings = window.page_by_title("会議")
    assert window.stack.currentWidget() is meetings
    assert meetings.workspace is not None and meetings.workspace.meeting_id == meeting_id
    assert meetings.stack.currentWidget() is meetings.workspace


def test_a_click_on_an_action_item_opens_the_minutes_where_it_was_set(window):
    home = window.page(0)
    row = _first_openable(home.actions_list)
    meeting_id = home.summary.actions[row].meeting_id
    _click(home.actions_list, row)
    ws = window.page_by_title("会議").workspace
    assert ws is not None and ws.meeting_id == meeting_id
    assert ws.tabs.currentWidget() is ws.minutes


def test_a_click_on_a_quiet_case_opens_the_case(window):
    home = window.page(0)
    row = _first_openable(home.quiet)
    case = home.summary.quiet_cases[row]
    _click(home.quiet, row)
    page = window.page_by_title("相談")
    assert window.stack.currentWidget() is page
    assert page.stack.currentWidget() is page.detail
    assert page.detail.case.id == case.case_id and page.detail.case.case_number == case.case_number


def test_placeholder_lines_open_nothing(qtbot, ctx):
    from pfdesk.ui.home import HomePage

    page = HomePage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    asked = []
    page.navigate.connect(lambda p, a: asked.append((p, a)))
    assert page.upcoming.item(0).text() == "予定されている会議はありません。"
    page.open_item(page.upcoming.item(0))
    assert asked == []
