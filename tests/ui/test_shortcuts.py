"""Keyboard shortcuts: pages, 新規, 保存, 印刷, 検索 by key, and their list in ヘルプ."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from pfdesk.ui.main_window import MainWindow
from pfdesk.ui.meetings.dialogs import NewMeetingDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, demo_ctx):
    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=10_000):
        w.start()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def _key(window, key, modifier=CTRL):
    target = QApplication.focusWidget() or window
    QTest.keyClick(target, key, modifier)


def test_ctrl_and_a_number_switches_pages(window):
    _key(window, Qt.Key.Key_3)
    assert window.stack.currentWidget() is window.page_by_title("相談")
    _key(window, Qt.Key.Key_4)
    assert window.stack.currentWidget() is window.page_by_title("会議")
    _key(window, Qt.Key.Key_1)
    assert window.stack.currentWidget() is window.page(0)


def test_ctrl_f_goes_to_the_search_field_of_the_page(window):
    _key(window, Qt.Key.Key_3)
    page = window.page_by_title("相談")
    _key(window, Qt.Key.Key_F)
    assert page.search.hasFocus()


def test_ctrl_n_starts_what_new_means_on_the_page(window, monkeypatch):
    opened = []
    monkeypatch.setattr(NewMeetingDialog, "exec", lambda dlg: opened.append(dlg) or 0)
    _key(window, Qt.Key.Key_4)
    _key(window, Qt.Key.Key_N)
    assert opened and isinstance(opened[0], NewMeetingDialog)
    _key(window, Qt.Key.Key_1)
    _key(window, Qt.Key.Key_N)  # nothing is new on ホーム: said, not done
    assert "Ctrl+N で作るもの" in window.statusBar().currentMessage()


def test_ctrl_p_prints_the_open_meeting_and_ctrl_s_saves_its_overview(window, monkeypatch):
    from pfdesk.ui.printing import PrintMeetingDialog

    shown = []
    monkeypatch.setattr(PrintMeetingDialog, "exec", lambda dlg: shown.append(dlg) or 0)
    _key(window, Qt.Key.Key_4)
    page = window.page_by_title("会議")
    _key(window, Qt.Key.Key_P)
    assert not shown and "印刷するもの" in window.statusBar().currentMessage()
    meeting = page.meeting_model.row_at(0)
    page.open_meeting(meeting.id)
    _key(window, Qt.Key.Key_P)
    assert shown and shown[0].meeting_id == meeting.id
    page.workspace.overview.place.setText("役場 大会議室")
    assert page.unsaved_changes()
    _key(window, Qt.Key.Key_S)
    assert not page.unsaved_changes()
    from pfdesk.services.meetings import meetings

    assert meetings.get_meeting(window.ctx, meeting.id).row.place == "役場 大会議室"
    assert "保存しました" in window.statusBar().currentMessage()


def test_help_lists_every_shortcut_the_window_has(window, qtbot):
    help_menu = window.menuBar().actions()[-1].menu()
    entry = next(a for a in help_menu.actions() if a.text().startswith("キーボード操作の一覧"))
    entry.trigger()
    dialog = window.shortcuts.list_dialog
    qtbot.waitUntil(dialog.isVisible)
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())}
    for keys in ("Ctrl+K", "Ctrl+F", "Ctrl+N", "Ctrl+S", "Ctrl+P", "F5", "F1", "Ctrl+1",
                 "Ctrl+8"):
        assert keys in rows, keys
    assert rows["Ctrl+3"] == "相談を表示" and rows["Ctrl+P"].startswith("印刷")
    assert not any("&" in what for what in rows.values())
    dialog.done(QDialog.DialogCode.Rejected)
