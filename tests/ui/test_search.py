"""すべてを検索 in the window: Ctrl+K or the tool bar field, groups by kind, Enter opens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pfdesk.services.context import Actor
from pfdesk.ui.main_window import MainWindow
from pfdesk.ui.search import SearchDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the window is shown for real


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx=ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.start()
    return window


def _open_search(qtbot, window) -> SearchDialog:
    window.activateWindow()
    window.tools.action.trigger()  # what Ctrl+K triggers
    dialog = window.tools.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _type(qtbot, dialog: SearchDialog, text: str) -> None:
    dialog.edit.setText(text)  # as typed (keyClicks cannot send kana)
    assert dialog.timer.isActive()  # searched once typing pauses
    qtbot.waitUntil(lambda: not dialog.timer.isActive(), timeout=3_000)


def test_ctrl_k_is_the_shortcut_and_the_field_sits_in_the_tool_bar(qtbot, demo_ctx):
    window = _window(qtbot, demo_ctx)
    assert window.tools.action.shortcut().toString() == "Ctrl+K"
    assert window.tools.field.isVisibleTo(window)
    assert "Ctrl+K" in window.tools.field.placeholderText()


def test_enter_on_a_case_number_opens_the_case(qtbot, demo_ctx):
    window = _window(qtbot, demo_ctx)
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "r8-0012")
    heads = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert heads == ["相談ケース（1件）"]
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    page = window.page_by_title("相談")
    assert window.stack.currentWidget() is page
    assert page.stack.currentWidget() is page.detail
    assert page.detail.title.text().startswith("R8-0012")


def test_results_come_grouped_and_the_arrow_key_reaches_them(qtbot, demo_ctx):
    window = _window(qtbot, demo_ctx)
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "ﾎｹﾝ")  # half-width: folded like the other searches
    heads = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert heads[0].startswith("関係機関") and heads[1].startswith("担当者")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    assert dialog.tree.hasFocus() or dialog.tree.currentItem() is dialog.first_hit()
    first = dialog.hits()[0]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    # The organization opens in its own dialog over the 関係機関 page.
    assert window.stack.currentWidget() is window.page_by_title("関係機関")
    opened = QApplication.activeModalWidget()
    assert opened is not None and opened is not dialog
    assert any(first.title == e.text() for e in opened.findChildren(type(dialog.edit)))
    opened.reject()


def test_minutes_open_on_the_minutes_tab(qtbot, demo_ctx):
    window = _window(qtbot, demo_ctx)
    dialog = _open_search(qtbot, window)
    _type(qtbot, dialog, "自室で過ごす")
    hit = dialog.hits()[0]
    assert hit.kind == "minutes"
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    page = window.page_by_title("会議")
    assert page.workspace is not None and page.workspace.meeting_id == hit.id
    assert page.workspace.tabs.currentWidget() is page.workspace.minutes


def test_a_viewer_is_told_cases_are_not_searched(qtbot, demo_ctx):
    viewer = demo_ctx.acting_as(Actor("iin", "委員", "viewer"))
    dialog = SearchDialog(ctx=viewer, text="髙橋")
    qtbot.addWidget(dialog)
    heads = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert not any(h.startswith("相談ケース") for h in heads)
    assert "相談ケースは、利用者の権限により検索しません。" in dialog.status.text()
