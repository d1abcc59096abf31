"""The main window: navigation on the left, one page at a time, menus and status bar."""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from pfdesk import __version__
from pfdesk.core.i18n import _
from pfdesk.paths import log_dir
from pfdesk.services.context import ServiceContext
from pfdesk.ui import theme
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import CurrentPageStack
from pfdesk.ui.page import Page

if TYPE_CHECKING:
    from pfdesk.ui.help.window import ManualWindow

log = logging.getLogger(__name__)

#: (navigation label, module, class). Pages are built when first shown.
PAGES: tuple[tuple[str, str, str], ...] = (
    (_("ホーム"), "pfdesk.ui.home", "HomePage"),
    (_("関係機関"), "pfdesk.ui.directory.page", "DirectoryPage"),
    (_("相談"), "pfdesk.ui.consultations.page", "ConsultationsPage"),
    (_("会議"), "pfdesk.ui.meetings.page", "MeetingsPage"),
    (_("進行管理"), "pfdesk.ui.progress.page", "ProgressPage"),
    (_("実態把握"), "pfdesk.ui.survey.page", "SurveyPage"),
    (_("報告"), "pfdesk.ui.returns.page", "ReturnsPage"),
    (_("設定"), "pfdesk.ui.settings.page", "SettingsPage"),
)

#: Modules several pages share, imported before the pages' own while the window waits
#: (MainWindow._preload), so that no single step holds the event loop long: importing
#: 関係機関's page alone took 0.08 s, these first make each step 0.005-0.03 s. A name no
#: longer used only makes a step longer (tests/ui/test_main_window checks they exist).
PRELOAD_FIRST = (
    "pfdesk.services.directory.types", "pfdesk.services.directory._common",
    "pfdesk.services.meetings.bodies", "pfdesk.services.meetings.meetings",
    "pfdesk.services.undo", "pfdesk.ui.table_model", "pfdesk.ui.directory.models",
    "pfdesk.core.tabular", "pfdesk.services.directory.importer",
    "pfdesk.services.consultations.search", "pfdesk.ui.consultations.models",
)

#: The Lucide icon of each page in the navigation.
NAV_ICONS = {
    _("ホーム"): "house", _("関係機関"): "building-2", _("相談"): "messages-square",
    _("会議"): "calendar-days", _("進行管理"): "list-checks", _("実態把握"): "clipboard-list",
    _("報告"): "file-spreadsheet", _("設定"): "settings",
}


class MainWindow(QMainWindow):
    """pfdesk's window. ``ready`` fires once the first page has loaded its data."""

    ready = Signal()
    #: The manual's window once ヘルプ → 説明書 opened it (kept by ``install_help``).
    manual_window: dict[str, ManualWindow]

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self._title())
        from pfdesk.ui.window_fit import default_main_size, set_settings_user

        set_settings_user(ctx.actor.user_name)  # sizes and splitters are kept per user
        self.resize(default_main_size(self))  # fits 1366×768 with the taskbar
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")  # width, type size and colours: ui.theme
        self.nav.setIconSize(QSize(20, 20))
        # Sized by the page shown: a tall page visited earlier does not make the others scroll.
        self.stack = CurrentPageStack()
        row.addWidget(self.nav)
        # A page taller or wider than the window (125 % scaling, 設定 → 文字の大きさ 特大)
        # scrolls inside it instead of pushing the window past the screen.
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setWidget(self.stack)
        row.addWidget(self.page_scroll, 1)
        self.setCentralWidget(central)
        self._pages: dict[int, Page] = {}
        for label, _module, _cls in PAGES:
            QListWidgetItem(theme.icon(NAV_ICONS.get(label, "chevron-right")), label, self.nav)
        self.nav.currentRowChanged.connect(self.show_page)
        self._build_menu()
        self._build_status()
        self._build_toolbar()
        from pfdesk.ui.security.menu import install_security

        self.security = install_security(self)
        from pfdesk.ui.moving.dialog import install_moving

        self.move_out_action = install_moving(self)
        from pfdesk.ui.help.window import install_help

        self.manual_action = install_help(self)  # F1: the manual page of this screen
        from pfdesk.ui.shortcuts import install_shortcuts

        self.shortcuts = install_shortcuts(self)  # Ctrl+N/S/P/F, Ctrl+1…8, ヘルプ の一覧

    def _title(self) -> str:
        suffix = _("【デモ】") if self.ctx.store.is_demo else ""
        return f"pfdesk {suffix}".strip()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(_("ファイル(&F)"))
        quit_action = QAction(_("終了(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("ヘルプ(&H)"))
        logs = QAction(_("ログフォルダを開く"), self)
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
        )
        help_menu.addAction(logs)
        about = QAction(_("バージョン情報(&A)"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.about_action = about

    def _build_toolbar(self) -> None:
        """The search over everything (Ctrl+K) and the everyday actions, beside the menus."""
        from pfdesk.ui.search import install_search

        self.tools = install_search(self)
        for text, name, page, action in (
                (_("新規受付"), "plus", _("相談"), "new_case"),
                (_("新しい会議"), "calendar-plus", _("会議"), "new_meeting")):
            act = QAction(theme.icon(name), text, self)
            act.triggered.connect(lambda _c=False, p=page, a=action: self.go_to(p, a))
            self.tools.add_action(act)

    def _build_status(self) -> None:
        bar = self.statusBar()
        who = QLabel(_("利用者: {name}").format(name=self.ctx.actor.display_name))
        where = QLabel(_("データ: {path}").format(path=self.ctx.store.paths.root))
        bar.addPermanentWidget(who)
        bar.addPermanentWidget(where)
        if self.ctx.store.is_demo:
            demo = QLabel(_("デモの町"))
            demo.setStyleSheet("color: white; background: #c0392b; padding: 0 6px;")
            bar.addPermanentWidget(demo)

    def page(self, index: int) -> Page:
        """The page at ``index`` (built on first use)."""
        if index not in self._pages:
            _label, module, cls = PAGES[index]
            page_cls = getattr(importlib.import_module(module), cls)
            page = page_cls(ctx=self.ctx)
            if hasattr(page, "navigate"):  # the home page's 「はじめにすること」 buttons
                page.navigate.connect(self.go_to)
            self._pages[index] = page
            self.stack.addWidget(page)
        return self._pages[index]

    def page_by_title(self, label: str) -> Page:
        """The page whose navigation label is ``label``."""
        for i, (title, _m, _c) in enumerate(PAGES):
            if title == label:
                return self.page(i)
        raise KeyError(label)

    def go_to(self, label: str, action: str = "") -> None:
        """Show the page labelled ``label``, then let it run ``action`` (e.g. "new_body")."""
        index = next(i for i, (title, _m, _c) in enumerate(PAGES) if title == label)
        self.show_page(index)
        page = self.page(index)
        if action and hasattr(page, "run_action"):
            try:
                page.run_action(action)
            except Exception as e:  # noqa: BLE001 - shown, logged; the window stays usable
                show_error(self, e)

    def show_page(self, index: int) -> None:
        """Switch to the page at ``index`` and reload its data."""
        if index < 0:
            return
        page = self.page(index)
        self.stack.setCurrentWidget(page)
        if self.nav.currentRow() != index:
            # The navigation follows without showing the page a second time (its
            # currentRowChanged is what brings a click here).
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        try:
            page.refresh()
        except Exception as e:  # noqa: BLE001 - shown, logged; the window stays usable
            show_error(self, e)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        """Offer to save what a page holds unsaved before the window closes."""
        pending = [(i, p, p.unsaved_changes()) for i, p in self._pages.items()]
        pending = [(i, p, what) for i, p, what in pending if what]
        if pending:
            answer = QMessageBox.question(
                self, _("保存していない変更"),
                _("次の変更はまだ保存されていません。\n{what}\n\n保存してから終了しますか？").format(
                    what="\n".join(f"・{what}" for _i, _p, what in pending)),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                for i, page, _what in pending:
                    if not page.save_changes():
                        self.show_page(i)  # its problem is shown there
                        event.ignore()
                        return
        super().closeEvent(event)

    def start(self) -> None:
        """Show the home page and announce readiness."""
        self.show_page(0)
        self.ready.emit()
        from pfdesk.services.meetings.calendar import prepare_holidays
        from pfdesk.ui.tasks import run_in_background

        today = date.today()
        self._preload([*PRELOAD_FIRST, *(module for _label, module, _cls in PAGES[1:])])
        run_in_background(None, lambda: prepare_holidays(today), title=_("祝日を調べています"),
                          show_progress=False, on_failure=lambda e: log.warning(
                              "holidays not prepared: %s", type(e).__name__))

    def _preload(self, modules: list[str]) -> None:
        """Import the other pages' code while the window waits for the user.

        One module per pause of the event loop (each takes 0.01-0.08 s), so a click or a
        keystroke waits for one at most; a page opened later then only builds itself and
        reads its data. A page not imported yet when it is opened imports itself then.
        """
        if not modules:
            return
        module, rest = modules[0], modules[1:]

        def step() -> None:
            try:
                importlib.import_module(module)
            except Exception as e:  # noqa: BLE001 - the page shows the error when opened
                log.warning("page code not preloaded: %s", type(e).__name__)
            self._preload(rest)

        QTimer.singleShot(10, self, step)

    def bring_forward(self) -> None:
        """Called when a second start asks this window to come to the front."""
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.show()
        self.raise_()
        self.activateWindow()

    def show_about(self) -> None:
        """ヘルプ → バージョン情報."""
        QMessageBox.about(
            self,
            _("バージョン情報"),
            _("pfdesk {version}\n"
              "ひきこもり支援 市町村プラットフォーム事務局の業務ソフト\n\n"
              "データフォルダ: {path}").format(
                version=__version__, path=self.ctx.store.paths.root
            ),
        )
