"""Keyboard shortcuts of the main window, and ヘルプ → キーボード操作の一覧.

One set of keys works on every page: Ctrl+N 新規, Ctrl+S 保存, Ctrl+P 印刷, Ctrl+F この画面
で検索, F5 最新の情報に更新, Ctrl+1 … Ctrl+8 the pages in navigation order. Each key asks
the page shown what it means there (a new case on 相談, a new meeting on 会議 …); where it
means nothing the status bar says so instead of doing something unexpected. The list in
ヘルプ is read from the window's own actions, so it never names a key that does nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _

if TYPE_CHECKING:
    from pfdesk.ui.main_window import MainWindow

#: What Ctrl+N starts on each page: page label → its ``run_action`` name.
NEW_ACTIONS = {_("関係機関"): "add_person", _("相談"): "new_case", _("会議"): "new_meeting"}

_MNEMONIC = re.compile(r"\(&.\)|&")


def plain_text(action: QAction) -> str:
    """An action's text without its menu mnemonic: 「終了(&X)」 → 「終了」."""
    return _MNEMONIC.sub("", action.text()).rstrip("…").strip()


class WindowShortcuts:
    """The shortcut actions of ``window`` (kept as attributes for tests and the list)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.new = self._action(_("新規作成（この画面）"), QKeySequence.StandardKey.New,
                                self.new_record)
        self.save = self._action(_("保存（この画面）"), QKeySequence.StandardKey.Save, self.save_page)
        self.print = self._action(_("印刷（この画面）"), QKeySequence.StandardKey.Print,
                                  self.print_page)
        self.find = self._action(_("この画面で検索"), QKeySequence.StandardKey.Find, self.find_here)
        self.refresh = self._action(_("最新の情報に更新"), QKeySequence.StandardKey.Refresh,
                                    self.refresh_page)
        from pfdesk.ui.main_window import PAGES

        self.pages: list[QAction] = []
        for i, (label, _m, _c) in enumerate(PAGES[:9]):
            act = self._action(_("{page}を表示").format(page=label),
                               QKeySequence(f"Ctrl+{i + 1}"),
                               lambda _c=False, i=i: window.show_page(i))
            self.pages.append(act)
        self.list_action = QAction(_("キーボード操作の一覧(&K)"), window)
        self.list_action.triggered.connect(self.show_list)
        help_menu = cast(QMenu, window.menuBar().actions()[-1].menu())
        actions = help_menu.actions()
        if len(actions) > 2:  # after 説明書 and 管理者ガイド
            help_menu.insertAction(actions[2], self.list_action)
        else:
            help_menu.addAction(self.list_action)

    def _action(self, text: str, keys, slot) -> QAction:
        act = QAction(text, self.window)
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        self.window.addAction(act)
        return act

    # -- what the keys do --------------------------------------------------------------------

    def _page(self):
        return self.window.stack.currentWidget()

    def _label(self) -> str:
        from pfdesk.ui.main_window import PAGES

        row = self.window.nav.currentRow()
        return PAGES[row][0] if 0 <= row < len(PAGES) else ""

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 5000)

    def new_record(self) -> None:
        """Ctrl+N: what 「新規」 means on this page."""
        action = NEW_ACTIONS.get(self._label())
        if action is None:
            self._say(_("この画面には Ctrl+N で作るものがありません。"))
            return
        self.window.go_to(self._label(), action)

    def save_page(self) -> None:
        """Ctrl+S: save what the page holds unsaved."""
        page = self._page()
        what = page.unsaved_changes() if page is not None else ""
        if not what:
            self._say(_("保存していない変更はありません。"))
            return
        if page.save_changes():
            self._say(_("保存しました: {what}").format(what=what))

    def print_page(self) -> None:
        """Ctrl+P: the page's print (the open meeting's documents, the 名簿 …)."""
        page = self._page()
        printer = getattr(page, "print_current", None)
        if printer is None or not printer():
            self._say(_("この画面には Ctrl+P で印刷するものがありません。"))

    def find_here(self) -> None:
        """Ctrl+F: the page's own search field, else すべてを検索."""
        field = getattr(self._page(), "search", None)
        if isinstance(field, QLineEdit) and field.isVisible():
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            field.selectAll()
            return
        from pfdesk.ui.search import search

        search(self.window)

    def refresh_page(self) -> None:
        """F5: reload the page shown."""
        self.window.show_page(self.window.nav.currentRow())

    # -- ヘルプ ---------------------------------------------------------------------------------

    def key_list(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every action of the window that has a shortcut."""
        rows: list[tuple[str, str]] = []
        seen: set[str] = set()
        for act in self.window.findChildren(QAction):
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if not keys or keys in seen or not plain_text(act):
                continue
            seen.add(keys)
            rows.append((keys, plain_text(act)))
        order = {k: i for i, k in enumerate(
            ("Ctrl+K", "Ctrl+F", "Ctrl+N", "Ctrl+S", "Ctrl+P", "F5"))}
        rows.sort(key=lambda r: (order.get(r[0], 50), r[0].startswith("Ctrl+") and
                                 r[0][5:].isdigit(), r[0]))
        return rows

    def show_list(self) -> QDialog:
        """ヘルプ → キーボード操作の一覧."""
        dialog = KeyListDialog(self.key_list(), parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.list_dialog = dialog
        return dialog


class KeyListDialog(QDialog):
    """A table of keys and what they do."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("キーボード操作の一覧"))
        box = QVBoxLayout(self)
        intro = QLabel(_("マウスを使わずに、次のキーで操作できます。一覧や入力欄では Tab で次の欄へ、"
                         "Enter で選んだ行を開きます。"))
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([_("キー"), _("操作")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, what) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        box.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("閉じる"))
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(560, 640)


def install_shortcuts(window: MainWindow) -> WindowShortcuts:
    """Give ``window`` its shortcut keys and the list in ヘルプ."""
    return WindowShortcuts(window)


__all__ = ["KeyListDialog", "NEW_ACTIONS", "WindowShortcuts", "install_shortcuts", "plain_text"]
