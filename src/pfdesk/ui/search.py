"""すべてを検索 (Ctrl+K or the tool bar field): results grouped by kind, Enter opens one.

The dialog asks :func:`pfdesk.services.global_search.search_everything` (which folds the
query and respects what the role may see) and opens the chosen record through the main
window's pages: a 関係機関 or 担当者 in its dialog, a case on the 相談 page, a meeting in its
workspace, 議事録 on the workspace's minutes tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.ui import theme
from pfdesk.ui.errors import show_error

if TYPE_CHECKING:
    # The search service loads most services: it is imported on the first search, not
    # with the window's tool bar at start-up.
    from pfdesk.services.global_search import SearchHit, SearchResults
    from pfdesk.ui.main_window import MainWindow

#: The icon of each kind's group.
KIND_ICONS = {"organization": "building-2", "person": "user-round", "case": "messages-square",
              "meeting": "calendar-days", "minutes": "notebook-pen"}
_HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SHORTCUT = QKeySequence("Ctrl+K")


class SearchDialog(QDialog):
    """The search box and its results; ``chosen`` holds the record picked with Enter."""

    def __init__(self, *, ctx: ServiceContext, text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: SearchHit | None = None
        self.results: SearchResults | None = None
        self.setWindowTitle(_("すべてを検索"))
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.edit = QLineEdit(text)
        self.edit.setObjectName("globalSearch")
        self.edit.setPlaceholderText(
            _("関係機関・担当者・相談ケース・会議・議事録を検索（例: 髙橋、ほけん、R8-0012）"))
        self.edit.addAction(theme.icon("search", theme.MUTED),
                            QLineEdit.ActionPosition.LeadingPosition)
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("見つかった記録"), _("内容")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 300)
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        theme.set_role(self.status, "muted")
        layout.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)  # search once typing pauses
        self.timer.timeout.connect(self.run)
        self.edit.textChanged.connect(lambda _t: self.timer.start())
        self.edit.returnPressed.connect(self._enter_in_edit)
        self.edit.installEventFilter(self)
        self.run()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        """↓ in the search box moves to the first result."""
        from PySide6.QtCore import QEvent

        first = self.first_hit()
        if (obj is self.edit and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and first is not None):
            self.tree.setFocus()
            self.tree.setCurrentItem(first)
            return True
        return super().eventFilter(obj, event)

    def run(self) -> None:
        """Search for what the box holds and show the groups."""
        self.timer.stop()
        text = self.edit.text()
        self.tree.clear()
        try:
            from pfdesk.services.global_search import search_everything

            self.results = search_everything(self.ctx, text)
        except KnownError as e:
            show_error(self, e)
            return
        r = self.results
        for group in r.groups:
            count = (_("{kind}（{n}件以上）") if group.more else _("{kind}（{n}件）")).format(
                kind=group.label, n=group.total)
            head = QTreeWidgetItem([count])
            head.setIcon(0, theme.icon(KIND_ICONS[group.kind], theme.ACCENT))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            f = head.font(0)
            f.setBold(True)
            head.setFont(0, f)
            head.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(head)
            for hit in group.hits:
                item = QTreeWidgetItem(head, ["　" + hit.title, hit.detail])
                item.setData(0, _HIT_ROLE, hit)
                item.setToolTip(0, hit.title)
                item.setToolTip(1, hit.detail)
            if group.total > len(group.hits):
                more = QTreeWidgetItem(head, ["　" + (
                    _("ほかにもあります（語を足して絞り込めます）") if group.more else
                    _("ほか {n} 件（語を足して絞り込めます）").format(
                        n=group.total - len(group.hits)))])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
                more.setForeground(0, self.palette().placeholderText())
            head.setExpanded(True)
        lines = []
        if not text.strip():
            lines.append(_("語を入力すると、種類ごとに見つかった記録を表示します。"
                           "↓ で結果へ移り、Enter で開きます。"))
        elif not r.groups:
            lines.append(_("「{q}」に当てはまる記録はありません。").format(q=text.strip()))
        else:
            lines.append((_("{n} 件以上見つかりました。↓ で結果へ移り、Enter で開きます。")
                          if any(g.more for g in r.groups) else
                          _("{n} 件見つかりました。↓ で結果へ移り、Enter で開きます。")).format(
                n=r.total))
        if r.not_searched:
            lines.append(_("{kinds}は、利用者の権限により検索しません。").format(
                kinds="・".join(r.not_searched)))
        self.status.setText("\n".join(lines))

    def _items(self) -> list[tuple[QTreeWidgetItem, SearchHit]]:
        """Every record's row and hit, top to bottom."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount() if head is not None else 0):
                item = head.child(j) if head is not None else None
                hit = item.data(0, _HIT_ROLE) if item is not None else None
                if item is not None and hit is not None:
                    out.append((item, hit))
        return out

    def first_hit(self) -> QTreeWidgetItem | None:
        """The first record in the results (None when nothing was found)."""
        items = self._items()
        return items[0][0] if items else None

    def hits(self) -> list[SearchHit]:
        """Every record shown, top to bottom."""
        return [hit for _item, hit in self._items()]

    def _enter_in_edit(self) -> None:
        if self.timer.isActive():
            self.run()  # Enter before the pause: search now
            return
        first = self.first_hit()
        if first is not None:
            self._activated(first)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        hit = item.data(0, _HIT_ROLE)
        if hit is not None:
            self.chosen = hit
            self.accept()


def open_hit(window: MainWindow, hit: SearchHit) -> None:
    """Show ``hit`` where it lives: its page, and its dialog or workspace."""
    try:
        if hit.kind in ("organization", "person"):
            from pfdesk.ui.directory.org_dialog import OrganizationDialog
            from pfdesk.ui.directory.person_dialog import PersonDialog

            window.go_to(_("関係機関"))
            page = window.page_by_title(_("関係機関"))
            dialog: QDialog = (
                OrganizationDialog(ctx=window.ctx, org_id=hit.id, parent=page)
                if hit.kind == "organization"
                else PersonDialog(ctx=window.ctx, person_id=hit.id, parent=page))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: page.reload())  # type: ignore[attr-defined]
            from pfdesk.ui.undo_offers import offer_when_saved

            offer_when_saved(dialog, page.undo_bar)  # type: ignore[attr-defined]
            dialog.open()
        elif hit.kind == "case":
            window.go_to(_("相談"))
            window.page_by_title(_("相談")).open_case(hit.id)  # type: ignore[attr-defined]
        else:
            window.go_to(_("会議"))
            meetings = window.page_by_title(_("会議"))
            meetings.open_meeting(hit.id)  # type: ignore[attr-defined]
            ws = meetings.workspace  # type: ignore[attr-defined]
            if hit.kind == "minutes" and ws is not None and ws.meeting_id == hit.id:
                ws.tabs.setCurrentWidget(ws.minutes)
    except KnownError as e:
        show_error(window, e)


def search(window: MainWindow, text: str = "") -> SearchDialog:
    """Open the search dialog (modal to ``window``); Enter on a result opens that record."""
    dialog = SearchDialog(ctx=window.ctx, text=text, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(result: int) -> None:
        if result == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            open_hit(window, dialog.chosen)

    dialog.finished.connect(done)
    dialog.open()
    dialog.edit.setFocus()
    dialog.edit.selectAll()
    return dialog


class SearchToolBar(QWidget):
    """The search field and everyday actions, in the menu bar's corner (no extra row).

    ``field`` searches everything, ``action`` is Ctrl+K; :meth:`add_action` adds a button.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("mainTools")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 6, 0)
        self.row.setSpacing(4)
        self.field = QLineEdit()
        self.field.setObjectName("globalSearch")
        self.field.setPlaceholderText(_("すべてを検索（Ctrl+K）"))
        self.field.addAction(theme.icon("search", theme.MUTED),
                             QLineEdit.ActionPosition.LeadingPosition)
        self.field.setMinimumWidth(240)
        self.field.setMaximumWidth(320)
        self.field.setToolTip(_("関係機関・担当者・相談ケース・会議・議事録をまとめて検索します。"))
        self.field.returnPressed.connect(lambda: self._search(window))
        self.row.addWidget(self.field)
        self.action = QAction(theme.icon("search"), _("すべてを検索"), window)
        self.action.setShortcut(SHORTCUT)
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(lambda: self._search(window))
        window.addAction(self.action)
        self.dialog: SearchDialog | None = None

    def add_action(self, action: QAction) -> QToolButton:
        """A flat button with the action's icon and text."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # No taller than the menus beside it (every pixel of height counts at 125%).
        button.setMaximumHeight(self.field.sizeHint().height() + 1)
        self.row.addWidget(button)
        return button

    def _search(self, window: MainWindow) -> None:
        self.dialog = search(window, self.field.text())
        self.field.clear()


def install_search(window: MainWindow) -> SearchToolBar:
    """Put the search field in ``window``'s menu bar; Ctrl+K opens the search anywhere."""
    bar = SearchToolBar(window)
    window.menuBar().setCornerWidget(bar, Qt.Corner.TopRightCorner)
    return bar
