"""年度更新: 在任を確認 has its own key, so Ctrl+K means すべてを検索 only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton

from pfdesk.ui.directory.page import ROLLOVER_TAB, DirectoryPage
from pfdesk.ui.directory.rollover import CONFIRM_KEY
from pfdesk.ui.search import SHORTCUT

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the page is shown for real


def _keys_of(page) -> list[QKeySequence]:
    keys = [b.shortcut() for b in page.findChildren(QAbstractButton)]
    keys += [a.shortcut() for a in page.findChildren(QAction)]
    keys += [s.key() for s in page.findChildren(QShortcut)]
    return keys


def test_confirm_takes_ctrl_shift_k_and_nothing_on_the_page_takes_ctrl_k(qtbot, demo_ctx,
                                                                       monkeypatch):
    page = DirectoryPage(ctx=demo_ctx)
    page.open_after_print = False
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert SHORTCUT not in _keys_of(page)
    page.tabs.setCurrentIndex(ROLLOVER_TAB)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    rollover = page.rollover
    n = len(rollover.model.records)
    row = next(i for i, r in enumerate(rollover.model.records) if r.reason == "unconfirmed")
    rollover.view.selectRow(row)
    rollover.view.setFocus()
    shown = []
    monkeypatch.setattr("pfdesk.ui.directory.rollover.show_error",
                        lambda _p, e: shown.append(e.user_text()))
    QTest.keySequence(page.windowHandle(), QKeySequence(CONFIRM_KEY))
    # Let go of Ctrl and Shift: the offscreen platform keeps them held for later tests,
    # where a held Ctrl turns a row selection into a toggle.
    for key in (Qt.Key.Key_Control, Qt.Key.Key_Shift):
        QTest.keyRelease(page.windowHandle(), key)
    qtbot.waitUntil(lambda: len(rollover.model.records) == n - 1 or bool(shown))
    assert shown == [] and len(rollover.model.records) == n - 1
    assert "Ctrl+Shift+K" in rollover.confirm_button.toolTip()
