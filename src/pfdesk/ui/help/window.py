"""The manual window: Markdown pages from ``docs/manual`` (shipped as resources/manual).

F1 opens the page of the screen in front (by the page's module, so it works in any
language); links between pages and the screenshots work as in the files themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.paths import resources_dir
from pfdesk.ui.widgets import application, insert_actions, menu_of

if TYPE_CHECKING:
    from pfdesk.ui.main_window import MainWindow

#: The manual page for each screen of the window, by the page's module.
PAGE_FOR_SCREEN = {
    "pfdesk.ui.home": "index.md",
    "pfdesk.ui.directory.page": "03-directory.md",
    "pfdesk.ui.consultations.page": "04-consultations.md",
    "pfdesk.ui.meetings.page": "06-meetings.md",
    "pfdesk.ui.progress.page": "05-support-cycle.md",
    "pfdesk.ui.survey.page": "08-survey.md",
    "pfdesk.ui.returns.page": "09-returns.md",
    "pfdesk.ui.settings.page": "02-first-start.md",
}
ADMIN_GUIDE = "admin-guide.md"


def manual_dir() -> Path:
    """The manual's folder: inside the package (wheel, bundle) or docs/manual of a checkout."""
    shipped = resources_dir() / "manual"
    if (shipped / "index.md").is_file():
        return shipped
    return Path(__file__).resolve().parents[4] / "docs" / "manual"


def page_for(module: str) -> str:
    """The manual page of the screen built by ``module`` (the contents for others)."""
    return PAGE_FOR_SCREEN.get(module, "index.md")


class ManualBrowser(QTextBrowser):
    """A text browser that shrinks screenshots to the window's width."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802 - Qt API
        """Screenshots scaled down to fit; everything else as QTextBrowser loads it."""
        data = super().loadResource(kind, name)
        if kind != QTextDocument.ResourceType.ImageResource:
            return data
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        width = max(320, self.viewport().width() - 40)
        if image.isNull() or image.width() <= width:
            return data
        return image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)


class ManualWindow(QDialog):
    """The manual: one page at a time, with back / contents buttons; links followed inside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("pfdesk 説明書"))
        self.resize(900, 640)
        self.browser = ManualBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(manual_dir())])
        buttons = QHBoxLayout()
        back = QPushButton(_("戻る"))
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        contents = QPushButton(_("目次"))
        contents.clicked.connect(lambda: self.show_page("index.md"))
        close = QPushButton(_("閉じる"))
        close.clicked.connect(self.close)
        buttons.addWidget(back)
        buttons.addWidget(contents)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)

    def show_page(self, name: str) -> None:
        """Show the manual page ``name`` (a file of the manual folder)."""
        path = manual_dir() / name
        if not path.is_file():
            self.browser.setPlainText(_("説明書のページ「{name}」が見つかりません（{folder}）。"
                                        "pfdesk を入れ直してください。").format(
                name=name, folder=manual_dir()))
            return
        self.browser.setSource(QUrl.fromLocalFile(str(path)),
                               QTextDocument.ResourceType.MarkdownResource)

    def current_page(self) -> str:
        """The file name of the page shown ('' when none)."""
        return Path(self.browser.source().toLocalFile()).name


def install_help(window: MainWindow) -> QAction:
    """Add ヘルプ → 説明書 (F1: the page of the current screen) and 管理者ガイド at the top."""
    help_menu = menu_of(window.menuBar().actions()[-1])
    first = help_menu.actions()[0] if help_menu.actions() else None
    manual = QAction(_("説明書(&M)"), window)
    manual.setObjectName("manual_action")
    manual.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    admin = QAction(_("管理者ガイド"), window)
    holder: dict[str, ManualWindow] = {}

    def open_page(name: str) -> None:
        dlg = holder.get("w")
        if dlg is None:
            dlg = holder["w"] = ManualWindow(window)
        dlg.show_page(name)
        dlg.show()
        dlg.activateWindow()

    def current_screen() -> str:
        from pfdesk.ui.main_window import PAGES

        row = window.nav.currentRow()
        return page_for(PAGES[row][1]) if 0 <= row < len(PAGES) else "index.md"

    manual.triggered.connect(lambda: open_page(current_screen()))
    admin.triggered.connect(lambda: open_page(ADMIN_GUIDE))
    insert_actions(help_menu, first, (manual, admin))
    window.manual_window = holder
    return manual


def run_manual(page: str = "index.md") -> int:
    """``pfdesk manual [PAGE]``: the manual in a window of its own (the start menu's 説明書)."""
    from pfdesk.core.errors import KnownError
    from pfdesk.core.i18n import _
    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.translations import install_qt_translations

    if not (manual_dir() / page).is_file():
        raise KnownError(_("説明書のページ「{name}」が見つかりません（{folder}）。pfdesk を入れ直して"
                           "ください。").format(name=page, folder=manual_dir()))
    app = application()
    install_qt_translations(app)
    apply_japanese_font(app)
    window = ManualWindow()
    window.show_page(page)
    window.show()
    return app.exec()
